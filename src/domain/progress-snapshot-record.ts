// Stored user progress snapshots ↔ the API's ProgressSnapshot. Pure. Documents carry schema_version
// (contract §10); version 1 is the only one so far.
import type { ProgressSnapshot } from '../../schemas/user-progress.js'
import { isoFromMs } from './time.js'

export const SNAPSHOT_SCHEMA_VERSION = 1

export interface StoredSnapshot extends Omit<ProgressSnapshot, 'created_at'> { created_at: number, schema_version: number }

export function snapshotFromStored (raw: string): ProgressSnapshot {
  const stored = JSON.parse(raw) as StoredSnapshot
  return {
    id: stored.id,
    user_id: stored.user_id,
    metrics: stored.metrics,
    skills_developed: stored.skills_developed ?? [],
    milestones_achieved: stored.milestones_achieved ?? 0,
    created_at: isoFromMs(stored.created_at)!
  }
}
