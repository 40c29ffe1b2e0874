// A user's progress snapshots (contract §6): a zset of ids by created_at and a hash of documents, both
// under the user's hash tag, kept PROGRESS_RETENTION_SECONDS. Erasing the user deletes both keys.
import type { RedisStore } from '../redis/store.js'
import type { ProgressSnapshot, CreateSnapshotBody } from '../../schemas/user-progress.js'
import { snapshotFromStored, SNAPSHOT_SCHEMA_VERSION } from '../domain/progress-snapshot-record.js'
import { decodeCursor, encodeCursor, isTimeIdPosition } from '../domain/cursor.js'
import { storedItems, type Page } from './results.js'
import type { Config } from '../config.js'


export class UserProgressRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'progressRetentionSeconds'>
  ) {}

  private keysOf (userId: string): string[] {
    return [this.store.keys.userProgress(userId), this.store.keys.userProgressDocs(userId)]
  }

  private get retentionMs (): number {
    return this.settings.progressRetentionSeconds * 1000
  }

  /** Adds a snapshot (idempotent by id) and prunes those past the retention. */
  async add (userId: string, snapshotId: string, body: CreateSnapshotBody): Promise<ProgressSnapshot> {
    const fields = JSON.stringify({
      user_id: userId,
      metrics: body.metrics,
      skills_developed: body.skills_developed ?? [],
      milestones_achieved: body.milestones_achieved ?? 0
    })
    const reply = await this.store.run('addProgressSnapshot', this.keysOf(userId), [snapshotId, fields, this.retentionMs, SNAPSHOT_SCHEMA_VERSION])
    return snapshotFromStored(String(reply[1]))
  }

  /** Newest first; the cursor is the last snapshot's (created_at, id). */
  async list (userId: string, cursor: string | undefined, limit: number): Promise<Page<ProgressSnapshot>> {
    const from = cursor === undefined ? undefined : decodeCursor(cursor, isTimeIdPosition)
    const reply = await this.store.run('readProgressSnapshots', this.keysOf(userId),
      [this.retentionMs, limit, from?.[0] ?? '', from?.[1] ?? ''])
    const items = storedItems(reply[1]).map(snapshotFromStored)
    const last = items.at(-1)
    return { items, nextCursor: reply[2] === 1 && last !== undefined ? encodeCursor([Date.parse(last.created_at), last.id]) : null }
  }

  /** The newest snapshot within the retention, or null. */
  async latest (userId: string): Promise<ProgressSnapshot | null> {
    return (await this.list(userId, undefined, 1)).items[0] ?? null
  }
}
