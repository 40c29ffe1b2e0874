// Finalize (contract §5) and the stream of finalized results for downstream consumers.
//
// Completing a session is one atomic change on its slot, done as read → build → compare-and-set:
// prepare-finalize reads the session, its steps and narrative; the Finalized result is built here; and
// complete-finalize commits it only if the session's version is unchanged (any change under a session
// bumps the version), else the whole thing is retried (src/repositories/stale.ts). The call whose
// compare-and-set succeeds is the one completion; every other call gets the stored result.
//
// Publishing a completion (stream append, user index) touches other slots, so it follows the commit
// under a publish lease held in the session hash: the completing call holds it; a finalize call on a
// finalized session whose publishing never finished takes it over once it lapses (docs/decisions/0202).
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ANY_OWNER, ownerArg } from '../domain/access.js'
import { buildFinalized } from '../domain/finalized.js'
import { missingSteps } from '../domain/progress.js'
import { savedSteps } from '../domain/steps.js'
import { changeEvent } from '../domain/events.js'
import { decodeCursor, pageOf, refuseBothStarts, type Page } from '../domain/page.js'
import { AppError } from '../errors.js'
import { retryStale } from './stale.js'
import type { UserIndex } from './user-index.js'
import type { StatsRecorder } from './stats-recorder.js'
import type { Finalized, FinalizedEntry } from '../../schemas/finalize.js'
import type { Config } from '../config.js'
import { openContexts, openSessionRecord, openSteps, openValue, sealValue, type MaybeSealer } from '../domain/sealed-content.js'

/** How long one finalize call may take to publish before another call may publish in its place. */
export const PUBLISH_LEASE_MS = 30_000
/** Approximate cap of the finalized stream (XADD MAXLEN ~). */
export const FINALIZED_STREAM_MAX_LENGTH = 10_000

export interface FinalizeOptions { allowIncomplete: boolean, ifMatch: string }

export interface FinalizeOutcome {
  result: Finalized
  /** This call completed the session (exactly one call per session does). */
  completed: boolean
  /** This call holds the publish lease: it must call publish(result). */
  mustPublish: boolean
}

/** Where a page of the finalized stream starts: a cursor, or a stream entry id (the documented `after`). */
export interface FinalizedPosition { cursor?: string, after?: string }

export class FinalizeRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Config['sessions'],
    private readonly userIndex: UserIndex,
    private readonly stats: Pick<StatsRecorder, 'record'>,
    private readonly sealer: MaybeSealer = null,
    private readonly streamMaxLength: number = FINALIZED_STREAM_MAX_LENGTH
  ) {}

  /** A stored result of session `id` (sealed with encryption on) → the Finalized document. */
  private decode (stored: string, id: string): Finalized {
    return JSON.parse(openValue(this.sealer, stored, id)) as Finalized
  }

  private get retentionMs (): number {
    return this.settings.finalizedRetentionSeconds * 1000
  }

  async finalize (id: string, access: Access, options: FinalizeOptions): Promise<FinalizeOutcome> {
    const owner = ownerArg(access)
    const scripts = this.store.scriptsFor(access)
    return await retryStale(async () => {
      const read = await scripts.prepareFinalize(id, { owner, ifMatch: options.ifMatch, leaseMs: PUBLISH_LEASE_MS })
      if (read.finalized) return { result: this.decode(read.stored, id), completed: false, mustPublish: read.leaseTaken }

      const record = openSessionRecord(this.sealer, read.record)
      const steps = openSteps(this.sealer, read.steps, id)
      const narrative = openContexts(this.sealer, read.narrative, id)
      const missing = missingSteps(savedSteps(record.steps_saved ?? ''), Number(record.total_steps))
      if (missing.length > 0 && !options.allowIncomplete) {
        throw new AppError('incomplete_steps', `${missing.length} of ${record.total_steps} steps are missing`, { missing_steps: missing })
      }
      const result = buildFinalized({ record, steps, narrative, finalizedAtMs: read.nowMs, retentionSeconds: this.settings.finalizedRetentionSeconds })
      const done = await scripts.completeFinalize(id, {
        owner,
        expectedVersion: Number(record.version),
        finalizedAtMs: read.nowMs,
        retentionMs: this.retentionMs,
        result: sealValue(this.sealer, JSON.stringify(result), id),
        event: changeEvent('session.finalized', { finalized_at: result.finalized_at, completed: result.progress.completed, total: result.progress.total }),
        leaseMs: PUBLISH_LEASE_MS
      })
      if (done.completed) {
        this.stats.record('finalized', read.nowMs)
        return { result, completed: true, mustPublish: true }
      }
      return { result: this.decode(done.stored, id), completed: false, mustPublish: false }
    })
  }

  /**
   * Publishes a completion: keeps the session in its user's index for the whole retention (so listing
   * and erasure still find it), then appends the result to the finalized stream and records that.
   * On failure the lease is released so that the next finalize call publishes at once.
   */
  async publish (result: Finalized, access: Access = ANY_OWNER): Promise<void> {
    const { session } = result
    const scripts = this.store.scriptsFor(access)
    try {
      await this.userIndex.add(session.user_id, session.id, Date.parse(session.created_at), Date.parse(result.finalized_at) + this.retentionMs, { deadline: access.deadline })
      await scripts.appendFinalized({
        maxLength: this.streamMaxLength, retentionMs: this.retentionMs, sessionId: session.id, finalizedAt: result.finalized_at, result: sealValue(this.sealer, JSON.stringify(result), session.id)
      })
    } catch (err) {
      // Unbounded: the lease is released even when the request's deadline has passed.
      await this.store.scripts.settleFinalizedPublish(session.id, 'released').catch(() => {})
      throw err
    }
    await scripts.settleFinalizedPublish(session.id, 'published')
  }

  /** The stored result of a finalized session and its version (not_found while it is not finalized). */
  async result (id: string, access: Access): Promise<{ result: Finalized, version: number }> {
    const read = await this.store.scriptsFor(access).readResult(id, { owner: ownerArg(access) })
    return { result: this.decode(read.stored, id), version: read.version }
  }

  /** A page of the finalized stream, oldest first. */
  async listFinalized (position: FinalizedPosition, limit: number, access: Access = ANY_OWNER): Promise<Page<FinalizedEntry>> {
    refuseBothStarts(position.cursor, position.after)
    const after = position.cursor !== undefined ? decodeCursor('finalized', position.cursor) : position.after
    const key = this.store.keys.finalizedStream()
    const rows = await this.store.call('listFinalized', async (client) =>
      await client.xrange(key, after === undefined ? '-' : `(${after}`, '+', 'COUNT', limit + 1), access.deadline)
    const entries = rows.slice(0, limit).map(([id, flat]) => {
      const fields: Record<string, string> = {}
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
      return { id, session_id: fields.session_id!, finalized_at: fields.finalized_at!, result: this.decode(fields.result!, fields.session_id!) }
    })
    return pageOf('finalized', entries, rows.length > limit, (last) => last.id)
  }
}
