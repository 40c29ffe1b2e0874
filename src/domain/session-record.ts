// The stored shape of a session (a Redis hash of strings) ↔ the API's Session. Pure.
import type { Session } from '../../schemas/session.js'
import { isoFromMs } from './time.js'
import { migrateSessionRecord } from './migrations.js'

export type SessionRecord = Record<string, string>

const num = (value: string | undefined): number => Number(value ?? 0)

function parseJson<T> (value: string | undefined, fallback: T): T {
  if (value === undefined || value === '') return fallback
  // Most sessions have no metadata and no goals: skip the parser for those.
  if (value === '{}') return {} as T
  if (value === '[]') return [] as T
  try { return JSON.parse(value) as T } catch { return fallback }
}

/** Upgrades an older stored document and maps it to the API shape. */
export function sessionFromRecord (stored: SessionRecord): Session {
  const record = migrateSessionRecord(stored)
  return {
    id: record.id!,
    user_id: record.user_id!,
    workspace_id: record.workspace_id === '' || record.workspace_id === undefined ? null : record.workspace_id,
    kind: record.kind as Session['kind'],
    state: record.state as Session['state'],
    safety_level: record.safety_level as Session['safety_level'],
    therapeutic_goals: parseJson<string[]>(record.therapeutic_goals, []),
    current_scene_id: record.current_scene_id === '' || record.current_scene_id === undefined ? null : record.current_scene_id,
    total_steps: num(record.total_steps),
    metadata: parseJson<Record<string, unknown>>(record.metadata, {}),
    ttl_seconds: num(record.ttl_seconds),
    version: num(record.version),
    schema_version: num(record.schema_version),
    created_at: isoFromMs(num(record.created_at))!,
    updated_at: isoFromMs(num(record.updated_at))!,
    expires_at: isoFromMs(num(record.expires_at))!,
    absolute_expires_at: isoFromMs(num(record.absolute_expires_at))!,
    completed_at: record.completed_at === '' || record.completed_at === undefined ? null : isoFromMs(num(record.completed_at))
  }
}
