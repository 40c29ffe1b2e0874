// The session aggregate over Redis. Knows nothing of HTTP; every method takes the caller's Access.
import type { RedisStore } from '../redis/store.js'
import { recordFromFlat } from '../redis/store.js'
import { StaleWriteError } from '../redis/script-errors.js'
import type { Session, CreateSessionBody, PatchSessionBody } from '../../schemas/session.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { newId } from '../domain/ids.js'
import { defaultTtlSeconds } from '../domain/ttl.js'
import { sessionFromRecord, type SessionRecord } from '../domain/session-record.js'
import { SESSION_SCHEMA_VERSION, migrateSessionRecord } from '../domain/migrations.js'
import { planPatch } from '../domain/session-patch.js'
import { buildSummary, type SessionSummary } from '../domain/summary.js'
import { AppError, versionConflict } from '../errors.js'
import type { Config } from '../config.js'

export interface CreatedSession { session: Session, created: boolean }

/** Fields a migration may rewrite; the scripts own version, timestamps and expiry. */
const MIGRATABLE_FIELDS = ['therapeutic_goals', 'safety_level', 'workspace_id', 'schema_version']
/** A PATCH re-reads and retries this often when other writers keep moving the version. */
const MAX_PATCH_ATTEMPTS = 64
/** Jittered backoff between attempts, so that concurrent writers do not keep colliding. */
const backoff = async (attempt: number): Promise<void> =>
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 5)))

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
    await this.indexForUser(input.user_id, id, now, now + lifetimeSeconds * 1000 + 60_000)
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

  /** The stored record; `touch` slides the expiry. Throws session_not_found when absent or not the caller's. */
  private async readRecord (id: string, access: Access, touch: boolean): Promise<SessionRecord> {
    const reply = await this.store.run('readSession', this.keysOf(id), [ownerArg(access), touch ? '1' : '0'])
    return recordFromFlat(reply[1])
  }

  async get (id: string, access: Access, touch = true): Promise<Session> {
    return sessionFromRecord(await this.readRecord(id, access, touch))
  }

  /**
   * Applies a PATCH: the state machine and merge patch are computed from a read, then written with a
   * compare-and-set on the version read. Another writer in between means read again and retry, unless
   * the caller sent if-match, which then answers 412.
   */
  async update (id: string, access: Access, patch: PatchSessionBody, ifMatch: string): Promise<Session> {
    for (let attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
      const record = await this.readRecord(id, access, false)
      const current = sessionFromRecord(record)
      if (current.state === 'completed') throw new AppError('session_finalized', 'The session is finalized and accepts no changes')
      if (ifMatch !== '' && ifMatch !== String(current.version)) throw versionConflict(current.version)
      const plan = planPatch(current, patch)
      if (plan.events.length === 0) return await this.get(id, access, true) // nothing changes: a read
      const fields = { ...this.migratedFields(record), ...plan.fields }
      const args: Array<string | number> = [ownerArg(access), current.version, ifMatch, plan.events.length]
      for (const event of plan.events) args.push(event.type, JSON.stringify(event.data))
      for (const [field, value] of Object.entries(fields)) args.push(field, value)
      try {
        const reply = await this.store.run('updateSession', this.keysOf(id), args)
        return sessionFromRecord(recordFromFlat(reply[1]))
      } catch (err) {
        if (!(err instanceof StaleWriteError)) throw err
        await backoff(attempt)
      }
    }
    throw new AppError('service_unavailable', 'The session is changing too fast; retry', {}, { 'retry-after': '1' })
  }

  /** Everything under the session at one instant; slides the expiry like any read. */
  async summary (id: string, access: Access, touch = true): Promise<SessionSummary> {
    const reply = await this.store.run('readSummary', this.keysOf(id), [ownerArg(access), touch ? '1' : '0'])
    const record = recordFromFlat(reply[1])
    const progressUpdatedAt = record.progress_updated_at === undefined ? null : Number(record.progress_updated_at)
    return buildSummary(
      sessionFromRecord(record),
      progressUpdatedAt,
      recordFromFlat(reply[2]),
      recordFromFlat(reply[3]),
      { scenes: Number(reply[4]), choices: Number(reply[5]), messages: Number(reply[6]) },
      Number(reply[7])
    )
  }

  /** An older stored document is rewritten in its current shape by the next change to it. */
  private migratedFields (record: SessionRecord): Record<string, string> {
    if (Number(record.schema_version ?? 1) >= SESSION_SCHEMA_VERSION) return {}
    const migrated = migrateSessionRecord(record)
    return Object.fromEntries(MIGRATABLE_FIELDS.map((field) => [field, migrated[field] ?? '']))
  }

  /** Deletes the session and everything under it, and removes it from its user's index. */
  async delete (id: string, access: Access, ifMatch = ''): Promise<void> {
    const reply = await this.store.run('deleteSession', this.keysOf(id), [ownerArg(access), ifMatch])
    await this.unindexForUser(String(reply[1]), [id])
  }

  /** Adds a session to its user's index (pruning entries whose deadline has passed). */
  async indexForUser (userId: string, id: string, createdAtMs: number, deadlineMs: number): Promise<void> {
    const keys = this.store.keys
    await this.store.run('indexUserSession', [keys.userSessions(userId), keys.userSessionDeadlines(userId)], [id, createdAtMs, deadlineMs])
  }

  async unindexForUser (userId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return
    const keys = this.store.keys
    await this.store.call('unindexUserSessions', async (client) => {
      await Promise.all([client.zrem(keys.userSessions(userId), ...ids), client.zrem(keys.userSessionDeadlines(userId), ...ids)])
    })
  }
}
