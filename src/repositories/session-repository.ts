// The session aggregate over Redis. Knows nothing of HTTP; every method takes the caller's Access.
import type { RedisStore } from '../redis/store.js'
import type { Session, CreateSessionBody, PatchSessionBody } from '../../schemas/session.js'
import type { SessionSummary } from '../../schemas/summary.js'
import type { Access } from '../domain/access.js'
import { ANY_OWNER, ownerArg } from '../domain/access.js'
import type { IdempotencyClaim } from '../domain/idempotency.js'
import { newId } from '../domain/ids.js'
import { defaultTtlSeconds } from '../domain/ttl.js'
import { jsonText } from '../domain/json-text.js'
import { sessionFromRecord, type SessionRecord } from '../domain/session-record.js'
import { SESSION_SCHEMA_VERSION, migrateSessionRecord } from '../domain/migrations.js'
import { planPatch, type PatchPlan } from '../domain/session-patch.js'
import { buildSummary } from '../domain/summary.js'
import { changeEvent } from '../domain/events.js'
import { AppError, versionConflict } from '../errors.js'
import { StaleWriteError } from '../redis/script-errors.js'
import { setNewest } from '../domain/bounded-map.js'
import { retryStale } from './stale.js'
import { forgetCreateRecord } from './idempotency-store.js'
import type { UserIndex } from './user-index.js'
import type { SessionCache } from './session-cache.js'
import type { StatsRecorder } from './stats-recorder.js'
import type { Config } from '../config.js'
import { openSessionRecord, openContexts, openSteps, sealSessionField, sealSessionFields, type MaybeSealer, type Sealings, sealingsFor } from '../domain/sealed-content.js'

/** A create's session as stored (sealed content opened): routes answer it with sessionJson (0726). */
export interface CreatedSession { record: SessionRecord, created: boolean }

/** A session as a script answered it (opened) and as the API gives it. */
export interface Seen { record: SessionRecord, session: Session }

export interface CreateOptions {
  /** The caller (its request deadline bounds the create). */
  access?: Access
  /** The Idempotency-Key the create answers from: its record is deleted with the session. */
  claim?: IdempotencyClaim
}

/** Fields a migration may rewrite; the scripts own version, timestamps and expiry. */
const MIGRATABLE_FIELDS = ['therapeutic_goals', 'safety_level', 'workspace_id', 'schema_version']

/** How many sessions, and for how long, this instance remembers as it last saw them: a PATCH plans from that (0722). */
const SEEN_LIMIT = 1024
const SEEN_FOR_MS = 60_000

export class SessionRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Config['sessions'],
    private readonly userIndex: UserIndex,
    private readonly stats: Pick<StatsRecorder, 'record'>,
    private readonly cache?: SessionCache,
    private readonly sealer: MaybeSealer = null
  ) {}

  /** Each recent session as this instance last PATCHed it, with when: hints, never answers (0722). */
  private readonly seen = new Map<string, Seen & { at: number }>()

  /** A stored record (as a script answered it), opened and decoded into the API's session, and remembered. */
  private see (stored: SessionRecord, sealings?: Sealings): Seen {
    const record = openSessionRecord(this.sealer, stored, sealings)
    const seen = { record, session: sessionFromRecord(record), at: Date.now() }
    setNewest(this.seen, record.id!, seen, SEEN_LIMIT)
    return seen
  }

  /** The session as this instance's last PATCH of it left it, if recent and the caller's (else a read must decide). */
  private lastSeen (id: string, access: Access): Seen | undefined {
    const seen = this.seen.get(id)
    if (seen === undefined || Date.now() - seen.at > SEEN_FOR_MS) return undefined
    const owner = ownerArg(access)
    return owner === '' || owner === seen.record.user_id ? seen : undefined
  }

  /** Creates a session with the given id (idempotent by id) and files it under its user. */
  async create (input: CreateSessionBody, id: string = newId(), options: CreateOptions = {}): Promise<CreatedSession> {
    const kind = input.kind ?? 'generic'
    const lifetimeSeconds = this.settings.maxLifetimeSeconds
    const now = Date.now()
    const access = options.access ?? ANY_OWNER
    const scripts = this.store.scriptsFor(access)
    // Where Redis is one server the script files the session in its user's index too (0721). On a
    // Cluster, index first: an entry whose session never got written is pruned when listed, never the reverse.
    const files = scripts.filesOnCreate
    if (!files) await this.userIndex.add(input.user_id, id, now, now + lifetimeSeconds * 1000, { deadline: access.deadline })
    const sealings = sealingsFor(this.sealer)
    const { created, record } = await scripts.createSession(id, {
      userId: input.user_id,
      workspaceId: input.workspace_id ?? '',
      kind,
      state: input.state ?? 'active',
      safetyLevel: input.safety_level ?? 'none',
      therapeuticGoals: sealSessionField(this.sealer, JSON.stringify(input.therapeutic_goals ?? []), id, sealings),
      totalSteps: input.total_steps ?? this.settings.onboardingTotalSteps,
      metadata: sealSessionField(this.sealer, jsonText(input.metadata ?? {}), id, sealings),
      ttlSeconds: input.ttl_seconds ?? defaultTtlSeconds(kind, this.settings),
      maxLifetimeSeconds: lifetimeSeconds,
      schemaVersion: SESSION_SCHEMA_VERSION,
      created: changeEvent('session.created', { kind }),
      idempotencyDigest: options.claim?.digest ?? '',
      userIndex: files ? this.userIndex.filing(input.user_id) : undefined
    })
    if (created) this.stats.record('created')
    return { record: openSessionRecord(this.sealer, record, sealings), created }
  }

  /** The session; `touch` slides the expiry. Throws session_not_found when absent or not the caller's. */
  private async read (id: string, access: Access, touch: boolean): Promise<Seen> {
    const record = openSessionRecord(this.sealer, await this.store.scriptsFor(access).readSession(id, { owner: ownerArg(access), touch }))
    return { record, session: sessionFromRecord(record) }
  }

  /** A stored record (as a script answered it) → the API's session, not remembered. */
  private decode (record: SessionRecord, sealings?: Sealings): Session {
    return sessionFromRecord(openSessionRecord(this.sealer, record, sealings))
  }

  async get (id: string, access: Access, touch = true): Promise<Session> {
    const read = async (): Promise<Session> => (await this.read(id, access, touch)).session
    return this.cache === undefined ? await read() : await this.cache.read(id, access, touch, read)
  }

  /** A read that answers `{ unchanged }` without the session when the caller holds the current version. */
  async getUnlessCurrent (id: string, access: Access, touch: boolean, heldVersion: string): Promise<Session | { unchanged: number }> {
    if (heldVersion === '' || this.cache !== undefined) {
      const session = await this.get(id, access, touch)
      return String(session.version) === heldVersion ? { unchanged: session.version } : session
    }
    const read = await this.store.scriptsFor(access).readSessionUnless(id, { owner: ownerArg(access), touch, heldVersion })
    return 'unchanged' in read ? read : this.decode(read.record)
  }

  /**
   * Applies a PATCH: the state machine and merge patch are computed from the session, then written with
   * a compare-and-set on its version (src/repositories/stale.ts). What this instance's last PATCH of the
   * session answered is tried first (0722): one round trip when it is current. Its stale answer carries
   * the session as it is, so the retry right after needs no read: two round trips at most without
   * contention, as with a read first. Only a read (or a stale answer) refuses a PATCH, never a hint; a
   * caller that sent if-match gets 412 at once when the version differs.
   */
  async update (id: string, access: Access, patch: PatchSessionBody, ifMatch: string): Promise<Seen> {
    let basis = this.lastSeen(id, access)
    if (basis !== undefined) {
      try {
        const updated = await this.patchFrom(basis, true, id, access, patch, ifMatch)
        if (updated !== undefined) return updated
        basis = undefined
      } catch (err) {
        if (!(err instanceof StaleWriteError)) throw err
        basis = this.staleCurrent(err)
      }
    }
    // Under contention a retry reads again after its backoff: what a stale answer carried is older by then.
    return await retryStale(async () => {
      const seen = basis ?? await this.read(id, access, false)
      basis = undefined
      return (await this.patchFrom(seen, false, id, access, patch, ifMatch))!
    })
  }

  /** The session as a stale answer carried it, opened, if it did. */
  private staleCurrent (err: StaleWriteError): Seen | undefined {
    return err.current === undefined ? undefined : this.see(err.current)
  }

  /**
   * Plans `patch` over the session as `seen` and writes it with a compare-and-set on its version. From a
   * hint, what would refuse the PATCH or change nothing answers undefined instead: a read must decide.
   */
  private async patchFrom ({ record, session: current }: Seen, hint: boolean, id: string, access: Access, patch: PatchSessionBody, ifMatch: string): Promise<Seen | undefined> {
    let plan: PatchPlan
    try {
      if (current.state === 'completed') throw new AppError('session_finalized', 'The session is finalized and accepts no changes')
      if (ifMatch !== '' && ifMatch !== String(current.version)) throw versionConflict(current.version)
      plan = planPatch(current, patch)
    } catch (err) {
      if (hint) return undefined
      throw err
    }
    if (plan.events.length === 0) return hint ? undefined : await this.read(id, access, true) // nothing changes: a read
    const sealings = sealingsFor(this.sealer)
    const updated = await this.store.scriptsFor(access).updateSession(id, {
      owner: ownerArg(access),
      expectedVersion: current.version,
      ifMatch,
      events: plan.events,
      fields: sealSessionFields(this.sealer, { ...this.migratedFields(record), ...plan.fields }, id, sealings)
    })
    return this.see(updated, sealings)
  }

  /** Everything under the session at one instant; slides the expiry like any read. */
  async summary (id: string, access: Access, touch = true): Promise<SessionSummary> {
    const read = await this.store.scriptsFor(access).readSummary(id, { owner: ownerArg(access), touch })
    const progressUpdatedAt = read.record.progress_updated_at === undefined ? null : Number(read.record.progress_updated_at)
    return buildSummary(this.decode(read.record), progressUpdatedAt, openSteps(this.sealer, read.steps, id), openContexts(this.sealer, read.narrative, id), read.counts, read.nowMs)
  }

  /** An older stored document is rewritten in its current shape by the next change to it. */
  private migratedFields (record: SessionRecord): Record<string, string> {
    if (Number(record.schema_version ?? 1) >= SESSION_SCHEMA_VERSION) return {}
    const migrated = migrateSessionRecord(record)
    return Object.fromEntries(MIGRATABLE_FIELDS.map((field) => [field, migrated[field] ?? '']))
  }

  /**
   * Deletes the session and everything under it, removes it from its user's index, and deletes the
   * Idempotency-Key record its create answers from (its stored response carries the session's content).
   */
  async delete (id: string, access: Access, ifMatch = ''): Promise<{ finalized: boolean }> {
    const { userId, idempotencyDigest, finalized } = await this.store.scriptsFor(access).deleteSession(id, { owner: ownerArg(access), ifMatch })
    this.seen.delete(id)
    this.stats.record('deleted')
    await Promise.all([
      this.userIndex.remove(userId, [id], access.deadline),
      forgetCreateRecord(this.store, idempotencyDigest, access.deadline)
    ])
    return { finalized }
  }
}
