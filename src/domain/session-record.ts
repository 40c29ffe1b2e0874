// The stored shape of a session (a Redis hash of strings) ↔ the API's Session. Pure.
import type { Session } from '../../schemas/session.js'
import { isoFromMs } from './time.js'
import { migrateSessionRecord } from './migrations.js'

export type SessionRecord = Record<string, string>

/**
 * The fields of a session hash a script answers, in the order of a packed record (the Lua constants
 * SESSION_FIELDS, LISTED_FIELDS and R_<FIELD> are generated from this list). `keys` (which keys exist)
 * and the publish lease stay inside Redis; `goals` is read only to upgrade a schema_version 1 session.
 * The first LISTED_FIELDS are what the API's Session is made of (sessionFromRecord, the migrations):
 * a page of the user listing carries only those.
 */
export const SESSION_FIELDS = [
  'id', 'user_id', 'workspace_id', 'kind', 'state', 'safety_level', 'therapeutic_goals', 'current_scene_id',
  'total_steps', 'metadata', 'ttl_seconds', 'version', 'schema_version', 'created_at', 'updated_at',
  'expires_at', 'absolute_expires_at', 'completed_at', 'goals',
  'steps_saved', 'progress_updated_at', 'message_seq', 'idempotency_digest', 'finalized_published'
] as const
export const LISTED_FIELDS = SESSION_FIELDS.indexOf('goals') + 1

/** The separator of a packed record: stored values are ids, numbers and JSON text, none of which holds a NUL. */
const PACKED_SEPARATOR = '\u0000'

/**
 * A packed record (SESSION_FIELDS values, or the first LISTED_FIELDS of them, joined by NUL, '' where the
 * hash lacks the field) → the record,
 * without the fields it lacks. One bulk string per session that the client splits, instead of a JSON
 * object it parses: cheaper on both sides than cjson.encode and JSON.parse (docs/decisions/0720).
 */
export function unpackSessionRecord (packed: string): SessionRecord {
  const values = packed.split(PACKED_SEPARATOR)
  if (values.length !== SESSION_FIELDS.length && values.length !== LISTED_FIELDS) {
    throw new Error(`a packed session record has ${values.length} fields, not ${SESSION_FIELDS.length} (or the ${LISTED_FIELDS} listed)`)
  }
  const record: SessionRecord = {}
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (value !== '') record[SESSION_FIELDS[i]!] = value
  }
  return record
}

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
