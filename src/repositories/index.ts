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
import { EventLog } from './event-log.js'
import { SessionCache, type ChangeSource, type CacheCounters } from './session-cache.js'
import { StatsRecorder } from './stats-recorder.js'
import { LiveCounts } from './live-counts.js'
import { StatsRepository } from './stats-repository.js'
import { RedisDiagnostics } from './redis-diagnostics.js'
import { SessionExporter } from './session-export.js'
import { SessionImporter } from './session-import.js'
import { SessionMigrator } from './session-migrator.js'
import { AuditPseudonyms } from './audit-pseudonyms.js'
import { Sealer } from '../domain/sealer.js'
import { KeyRotator } from './key-rotator.js'

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
  events: EventLog
  audit: AuditLog
  rateLimiter: RateLimiter
  /** Counts created, finalized, expired and deleted sessions per day, in batches (the expiry sweep records its own). */
  statsRecorder: StatsRecorder
  stats: StatsRepository
  diagnostics: RedisDiagnostics
  exporter: SessionExporter
  importer: SessionImporter
  migrator: SessionMigrator
  /** rotate-keys; null while ENCRYPTION_KEYS is unset. */
  rotator: KeyRotator | null
}

/** What the background writers (audit, rate limits, stats) and the read cache report; the defaults stay silent. */
export interface RepositoryEvents {
  auditFailed?: (err: Error, dropped: number) => void
  rateLimiterFailed?: (err: Error) => void
  rateLimiterRecovered?: () => void
  statsFailed?: (err: Error) => void
  cache?: CacheCounters
}

export type RepositoryConfig = Pick<Config, 'sessions' | 'rateLimit' | 'auditRetentionSeconds' | 'keys'> & Partial<Pick<Config, 'cache' | 'encryptionKeys'>>

/** `changes`: the change channel; with CACHE_MODE=lru the session reads are cached through it. */
export function createRepositories (store: RedisStore, config: RepositoryConfig, events: RepositoryEvents = {}, changes?: ChangeSource): Repositories {
  const userIndex = new UserIndex(store)
  // Encryption at rest (contract §13): null when ENCRYPTION_KEYS is unset, and then content is stored as it is.
  const sealer = config.encryptionKeys === undefined || config.encryptionKeys.length === 0 ? null : new Sealer(config.encryptionKeys)
  const cache = config.cache?.mode === 'lru' && changes !== undefined ? new SessionCache(changes, config.cache, events.cache) : undefined
  // This instance's own writes drop the cached session at once (read-your-writes on one instance).
  if (cache !== undefined) store.scripts.onSessionWrite((id) => cache.invalidate(id))
  const statsRecorder = new StatsRecorder(store, { onError: events.statsFailed })
  const sessions = new SessionRepository(store, config.sessions, userIndex, statsRecorder, cache, sealer)
  // A day's trail lives AUDIT_RETENTION_SECONDS after its last entry; a pseudonym one day longer.
  const pseudonyms = new AuditPseudonyms(store, (config.auditRetentionSeconds + 86_400) * 1000)
  return {
    sessions,
    users: new UserRepository(store, sessions, userIndex, pseudonyms, sealer),
    steps: new StepRepository(store, sealer),
    finalize: new FinalizeRepository(store, config.sessions, userIndex, statsRecorder, sealer),
    narrative: new NarrativeRepository(store, config.sessions, sealer),
    scenes: new SceneRepository(store, sealer),
    messages: new MessageRepository(store, config.sessions, sealer),
    userProgress: new UserProgressRepository(store, config.sessions, sealer),
    idempotency: new IdempotencyStore(store, sealer),
    events: new EventLog(store),
    audit: new AuditLog(store, config.auditRetentionSeconds, { onError: events.auditFailed, pseudonyms }),
    rateLimiter: new RateLimiter(store, { ...config.rateLimit, onError: events.rateLimiterFailed, onRecovered: events.rateLimiterRecovered }),
    statsRecorder,
    stats: new StatsRepository(store, statsRecorder, new LiveCounts(store)),
    diagnostics: new RedisDiagnostics(store),
    exporter: new SessionExporter(store, config.keys, sealer?.keyIds),
    importer: new SessionImporter(store, userIndex, new Set(sealer?.keyIds)),
    migrator: new SessionMigrator(store, sealer),
    rotator: sealer === null ? null : new KeyRotator(store, sealer)
  }
}

/** Flushes what the background writers hold (on shutdown). */
export async function closeRepositories (repos: Repositories): Promise<void> {
  await repos.rateLimiter.close()
  await repos.audit.close()
  await repos.statsRecorder.close()
}
