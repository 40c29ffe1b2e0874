// Every repository over one RedisStore, wired once (plugins/repositories.ts decorates the app with
// them; tests and the command line build them the same way, without Fastify).
import type { RedisStore } from '../redis/store.js'
import type { Config } from '../config.js'
import { SessionRepository } from './session-repository.js'
import { UserRepository } from './user-repository.js'
import { UserIndex } from './user-index.js'
import { StepRepository } from './step-repository.js'
import { FinalizeRepository } from './finalize-repository.js'
import { NarrativeRepository } from './narrative-repository.js'
import { SceneRepository } from './scene-repository.js'
import { MessageRepository } from './message-repository.js'
import { UserProgressRepository } from './user-progress-repository.js'
import { AuditLog } from './audit-log.js'
import { RateLimiter } from './rate-limiter.js'
import { IdempotencyStore } from './idempotency-store.js'
import { AuditPseudonyms } from './audit-pseudonyms.js'

export interface Repositories {
  sessions: SessionRepository
  users: UserRepository
  steps: StepRepository
  finalize: FinalizeRepository
  narrative: NarrativeRepository
  scenes: SceneRepository
  messages: MessageRepository
  userProgress: UserProgressRepository
  idempotency: IdempotencyStore
  audit: AuditLog
  rateLimiter: RateLimiter
}

/** What the background writers (audit, rate limits) report; the defaults stay silent. */
export interface RepositoryEvents {
  auditFailed?: (err: Error, dropped: number) => void
  rateLimiterFailed?: (err: Error) => void
  rateLimiterRecovered?: () => void
}

export type RepositoryConfig = Pick<Config, 'sessions' | 'rateLimit' | 'auditRetentionSeconds'>

export function createRepositories (store: RedisStore, config: RepositoryConfig, events: RepositoryEvents = {}): Repositories {
  const userIndex = new UserIndex(store)
  const sessions = new SessionRepository(store, config.sessions, userIndex)
  // A day's trail lives AUDIT_RETENTION_SECONDS after its last entry; a pseudonym one day longer.
  const pseudonyms = new AuditPseudonyms(store, (config.auditRetentionSeconds + 86_400) * 1000)
  return {
    sessions,
    users: new UserRepository(store, sessions, userIndex, pseudonyms),
    steps: new StepRepository(store),
    finalize: new FinalizeRepository(store, config.sessions, userIndex),
    narrative: new NarrativeRepository(store, config.sessions),
    scenes: new SceneRepository(store),
    messages: new MessageRepository(store, config.sessions),
    userProgress: new UserProgressRepository(store, config.sessions),
    idempotency: new IdempotencyStore(store),
    audit: new AuditLog(store, config.auditRetentionSeconds, { onError: events.auditFailed, pseudonyms }),
    rateLimiter: new RateLimiter(store, { ...config.rateLimit, onError: events.rateLimiterFailed, onRecovered: events.rateLimiterRecovered })
  }
}

/** Flushes what the background writers hold (on shutdown). */
export async function closeRepositories (repos: Repositories): Promise<void> {
  await repos.rateLimiter.close()
  await repos.audit.close()
}
