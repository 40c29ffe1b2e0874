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
 * a page of the user listing carries only those. `id` comes first and `goals` last of them: the listing
 * reads the ones between (the index names the id, and only an older document has `goals`: 0730).
 */
export const SESSION_FIELDS = [
  'id', 'user_id', 'workspace_id', 'kind', 'state', 'safety_level', 'therapeutic_goals', 'current_scene_id',
  'total_steps', 'metadata', 'ttl_seconds', 'version', 'schema_version', 'created_at', 'updated_at',
  'expires_at', 'absolute_expires_at', 'completed_at', 'goals',
  'steps_saved', 'progress_updated_at', 'message_seq', 'idempotency_digest', 'finalized_published'
] as const
export const LISTED_FIELDS = SESSION_FIELDS.indexOf('goals') + 1
/**
 * The fields whose stored text is free (a scene id is any short text; a restored `goals` any text): the
 * only ones that may hold a NUL, the packed record's separator. The others are ids, enums, numbers,
 * JSON text from JSON.stringify, or sealed values.
 */
export const FREE_TEXT_FIELDS: ReadonlyArray<typeof SESSION_FIELDS[number]> = ['current_scene_id', 'goals']

/** The separator of a packed record (includes/packed.lua). */
const PACKED_SEPARATOR = '\u0000'

/**
 * A packed record → the record, without the fields the hash lacks (docs/decisions/0720). Packed: the
 * first `count` SESSION_FIELDS values joined by NUL, '' where the hash lacks the field — one bulk string
 * per session that the client splits, instead of a JSON object it parses. A session with a NUL in a
 * field comes as a JSON object of its fields instead (it starts with '{'; a packed record starts with
 * the session id). A wrong number of fields is refused, never assigned to the wrong names.
 */
export function unpackSessionRecord (packed: string, count: number = SESSION_FIELDS.length): SessionRecord {
  if (packed.startsWith('{')) return JSON.parse(packed) as SessionRecord
  const values = packed.split(PACKED_SEPARATOR)
  if (values.length !== count) throw new Error(`a packed session record has ${values.length} fields, not ${count}`)
  const record: SessionRecord = {}
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (value !== '') record[SESSION_FIELDS[i]!] = value
  }
  return record
}

const num = (value: string | undefined): number => Number(value ?? 0)

/** A stored field that answers null: absent from the hash, or stored empty. */
export const absent = (value: string | undefined): value is undefined | '' => value === undefined || value === ''

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
    workspace_id: absent(record.workspace_id) ? null : record.workspace_id,
    kind: record.kind as Session['kind'],
    state: record.state as Session['state'],
    safety_level: record.safety_level as Session['safety_level'],
    therapeutic_goals: parseJson<string[]>(record.therapeutic_goals, []),
    current_scene_id: absent(record.current_scene_id) ? null : record.current_scene_id,
    total_steps: num(record.total_steps),
    metadata: parseJson<Record<string, unknown>>(record.metadata, {}),
    ttl_seconds: num(record.ttl_seconds),
    version: num(record.version),
    schema_version: num(record.schema_version),
    created_at: isoFromMs(num(record.created_at))!,
    updated_at: isoFromMs(num(record.updated_at))!,
    expires_at: isoFromMs(num(record.expires_at))!,
    absolute_expires_at: isoFromMs(num(record.absolute_expires_at))!,
    completed_at: absent(record.completed_at) ? null : isoFromMs(num(record.completed_at))
  }
}
