// The session aggregate over Redis. Knows nothing of HTTP; every method takes the caller's Access.
import type { RedisStore } from '../redis/store.js'
import { recordFromFlat } from '../redis/store.js'
import type { Session, CreateSessionBody } from '../../schemas/session.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { newId } from '../domain/ids.js'
import { defaultTtlSeconds } from '../domain/ttl.js'
import { sessionFromRecord } from '../domain/session-record.js'
import { SESSION_SCHEMA_VERSION } from '../domain/migrations.js'
import type { Config } from '../config.js'

export interface CreatedSession { session: Session, created: boolean }

export class SessionRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Config['sessions']
  ) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  /** Creates a session with the given id (idempotent by id) and adds it to its user's index. */
  async create (input: CreateSessionBody, id: string = newId()): Promise<CreatedSession> {
    const kind = input.kind ?? 'generic'
    const ttlSeconds = input.ttl_seconds ?? defaultTtlSeconds(kind, this.settings)
    const lifetimeSeconds = this.settings.maxLifetimeSeconds
    const now = Date.now()
    // Index first: an entry whose session never got written is pruned when listed, never the reverse.
    await this.indexForUser(input.user_id, id, now, now + Math.max(lifetimeSeconds, ttlSeconds) * 1000 + 60_000)
    const reply = await this.store.run('createSession', this.keysOf(id), [
      id,
      input.user_id,
      input.workspace_id ?? '',
      kind,
      input.state ?? 'active',
      input.safety_level ?? 'none',
      JSON.stringify(input.therapeutic_goals ?? []),
      input.total_steps ?? this.settings.onboardingTotalSteps,
      JSON.stringify(input.metadata ?? {}),
      ttlSeconds,
      lifetimeSeconds,
      SESSION_SCHEMA_VERSION,
      JSON.stringify({ kind, user_id: input.user_id })
    ])
    return { session: sessionFromRecord(recordFromFlat(reply[1])), created: reply[0] === 0 }
  }

  /** Reads a session; `touch` slides its expiry. Throws session_not_found when absent or not the caller's. */
  async get (id: string, access: Access, touch = true): Promise<Session> {
    const reply = await this.store.run('readSession', this.keysOf(id), [ownerArg(access), touch ? '1' : '0'])
    return sessionFromRecord(recordFromFlat(reply[1]))
  }

  /** Deletes the session and everything under it, and removes it from its user's index. */
  async delete (id: string, access: Access): Promise<void> {
    const reply = await this.store.run('deleteSession', this.keysOf(id), [ownerArg(access)])
    const userId = String(reply[1])
    await this.store.call('unindexUserSession', async (client) => {
      await client.zrem(this.store.keys.userSessions(userId), id)
      await client.zrem(this.store.keys.userSessionDeadlines(userId), id)
    })
  }

  /** Adds a session to its user's index (pruning entries whose deadline has passed). */
  async indexForUser (userId: string, id: string, createdAtMs: number, deadlineMs: number): Promise<void> {
    const keys = this.store.keys
    await this.store.run('indexUserSession', [keys.userSessions(userId), keys.userSessionDeadlines(userId)], [id, createdAtMs, deadlineMs])
  }
}
