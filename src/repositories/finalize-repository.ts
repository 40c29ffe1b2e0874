// Finalize (contract §5) and the stream of finalized results for downstream consumers.
//
// Completing a session is one atomic change on its slot, done as read → build → compare-and-set:
// prepare-finalize reads the session, its steps and narrative; the Finalized result is built here; and
// complete-finalize commits it only if the session's version is unchanged (any change under a session
// bumps the version), else the whole thing is retried. The call whose compare-and-set succeeds is the
// one completion; every other call gets the stored result.
//
// Publishing a completion (stream append, user index) touches other slots, so it follows the commit
// under a publish lease held in the session hash: the completing call holds it; a finalize call on a
// finalized session whose publishing never finished takes it over once it lapses (docs/decisions/0202).
import type { RedisStore } from '../redis/store.js'
import { recordFromFlat } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { buildFinalized } from '../domain/finalized.js'
import { missingSteps } from '../domain/progress.js'
import { AppError, versionConflict } from '../errors.js'
import type { Finalized, FinalizedEntry } from '../../schemas/finalize.js'
import type { SessionRepository } from './session-repository.js'
import type { Config } from '../config.js'

/** How long one finalize call may take to publish before another call may publish in its place. */
export const PUBLISH_LEASE_MS = 30_000
/** Approximate cap of the finalized stream (XADD MAXLEN ~). */
export const FINALIZED_STREAM_MAX_LENGTH = 10_000
/** Compare-and-set attempts before giving up on a session that keeps changing under us. */
const MAX_ATTEMPTS = 10

export interface FinalizeOptions { allowIncomplete: boolean, ifMatch: string }

export interface FinalizeOutcome {
  result: Finalized
  /** This call completed the session (exactly one call per session does). */
  completed: boolean
  /** This call holds the publish lease: it must call publish(result). */
  mustPublish: boolean
}

export interface FinalizedPage { entries: FinalizedEntry[], nextCursor: string | null }

export class FinalizeRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Config['sessions'],
    private readonly sessions: SessionRepository,
    private readonly streamMaxLength: number = FINALIZED_STREAM_MAX_LENGTH
  ) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  private get retentionMs (): number {
    return this.settings.finalizedRetentionSeconds * 1000
  }

  async finalize (id: string, access: Access, options: FinalizeOptions): Promise<FinalizeOutcome> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.store.run('prepareFinalize', this.keysOf(id), [ownerArg(access), options.ifMatch, PUBLISH_LEASE_MS])
      if (read[0] === 1) return { result: JSON.parse(String(read[1])) as Finalized, completed: false, mustPublish: read[2] === 1 }

      const record = recordFromFlat(read[1])
      const steps = recordFromFlat(read[2])
      const missing = missingSteps(Object.keys(steps).map(Number), Number(record.total_steps))
      if (missing.length > 0 && !options.allowIncomplete) {
        throw new AppError('incomplete_steps', `${missing.length} of ${record.total_steps} steps are missing`, { missing_steps: missing })
      }
      const finalizedAtMs = Number(read[4])
      const result = buildFinalized({
        record, steps, narrative: recordFromFlat(read[3]), finalizedAtMs, retentionSeconds: this.settings.finalizedRetentionSeconds
      })
      const event = { finalized_at: result.finalized_at, completed: result.progress.completed, total: result.progress.total }
      const done = await this.store.run('completeFinalize', this.keysOf(id), [
        ownerArg(access), record.version!, finalizedAtMs, this.retentionMs, JSON.stringify(result), JSON.stringify(event), PUBLISH_LEASE_MS
      ])
      if (done[0] === 0) return { result, completed: true, mustPublish: true }
      if (done[0] === 1) return { result: JSON.parse(String(done[1])) as Finalized, completed: false, mustPublish: false }
      // The session changed between read and commit: build again from the new state.
      if (attempt >= MAX_ATTEMPTS) throw versionConflict(Number(record.version))
    }
  }

  /**
   * Publishes a completion: keeps the session in its user's index for the whole retention (so listing
   * and erasure still find it), then appends the result to the finalized stream and records that.
   * On failure the lease is released so that the next finalize call publishes at once.
   */
  async publish (result: Finalized): Promise<void> {
    const { session } = result
    try {
      const retainedUntil = Date.parse(result.finalized_at) + this.retentionMs
      await this.sessions.indexForUser(session.user_id, session.id, Date.parse(session.created_at), retainedUntil + 60_000)
      await this.store.run('appendFinalized', [this.store.keys.finalizedStream()], [
        this.streamMaxLength, this.retentionMs, session.id, result.finalized_at, JSON.stringify(result)
      ])
    } catch (err) {
      await this.store.run('settleFinalizedPublish', this.keysOf(session.id), ['released']).catch(() => {})
      throw err
    }
    await this.store.run('settleFinalizedPublish', this.keysOf(session.id), ['published'])
  }

  /** A page of the finalized stream, oldest first, after stream id `after` (exclusive). */
  async listFinalized (after: string | undefined, limit: number): Promise<FinalizedPage> {
    const key = this.store.keys.finalizedStream()
    const rows = await this.store.call('listFinalized', async (client) =>
      await client.xrange(key, after === undefined ? '-' : `(${after}`, '+', 'COUNT', limit + 1))
    const entries = rows.slice(0, limit).map(([id, flat]) => {
      const fields = recordFromFlat(flat)
      return { id, session_id: fields.session_id!, finalized_at: fields.finalized_at!, result: JSON.parse(fields.result!) as Finalized }
    })
    return { entries, nextCursor: rows.length > limit ? entries[entries.length - 1]!.id : null }
  }
}
