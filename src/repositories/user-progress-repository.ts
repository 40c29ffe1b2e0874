// A user's progress snapshots (contract §6): a zset of ids by created_at and a hash of documents, both
// under the user's hash tag, kept PROGRESS_RETENTION_SECONDS. Erasing the user deletes both keys.
import type { RedisStore } from '../redis/store.js'
import type { ProgressSnapshot, CreateSnapshotBody } from '../../schemas/user-progress.js'
import { snapshotFromStored, SNAPSHOT_SCHEMA_VERSION } from '../domain/progress-snapshot-record.js'
import { decodeCursor, pageOf, type Page, type TimeIdPosition } from '../domain/page.js'
import type { Config } from '../config.js'
import { ANY_OWNER, type Access } from '../domain/access.js'
import { SEALED_SNAPSHOT_MEMBERS, openMembers, openMembersList, sealMembers, type MaybeSealer, sealingsFor } from '../domain/sealed-content.js'

export class UserProgressRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'progressRetentionSeconds'>,
    private readonly sealer: MaybeSealer = null
  ) {}

  private get retentionMs (): number {
    return this.settings.progressRetentionSeconds * 1000
  }

  /** Adds a snapshot (idempotent by id) and prunes those past the retention. */
  async add (userId: string, snapshotId: string, body: CreateSnapshotBody, access: Access = ANY_OWNER): Promise<ProgressSnapshot> {
    const sealings = sealingsFor(this.sealer)
    const fields = sealMembers(this.sealer, {
      user_id: userId,
      metrics: body.metrics,
      skills_developed: body.skills_developed ?? [],
      milestones_achieved: body.milestones_achieved ?? 0
    }, SEALED_SNAPSHOT_MEMBERS, userId, sealings)
    const added = await this.store.scriptsFor(access).addProgressSnapshot(userId, { snapshotId, fields, retentionMs: this.retentionMs, schemaVersion: SNAPSHOT_SCHEMA_VERSION })
    return snapshotFromStored(openMembers(this.sealer, added.stored, userId, sealings))
  }

  /** Newest first; the cursor holds the last snapshot's (created_at, id). */
  async list (userId: string, cursor: string | undefined, limit: number, access: Access = ANY_OWNER): Promise<Page<ProgressSnapshot>> {
    const after = cursor === undefined ? null : decodeCursor('progressSnapshots', cursor)
    const read = await this.store.scriptsFor(access).readProgressSnapshots(userId, { retentionMs: this.retentionMs, limit, after })
    return pageOf('progressSnapshots', openMembersList(this.sealer, read.snapshots, userId).map(snapshotFromStored), read.more, (last): TimeIdPosition => [Date.parse(last.created_at), last.id])
  }

  /** The newest snapshot within the retention, or null. */
  async latest (userId: string, access: Access = ANY_OWNER): Promise<ProgressSnapshot | null> {
    return (await this.list(userId, undefined, 1, access)).items[0] ?? null
  }
}
