// A session's JSON text written straight from its stored record, for the user listing: what the Session
// schema's serializer writes for sessionFromRecord(record), without building that object, parsing the
// stored metadata and goals, and serializing them again (docs/decisions/0726 says why, what it relies
// on, and the test that holds the two writers equal). Pure.
import { absent, sessionFromRecord, type SessionRecord } from './session-record.js'
import { SESSION_SCHEMA_VERSION } from './migrations.js'
import { isoFromMs } from './time.js'
import { SAFETY_LEVELS, SESSION_KINDS, SESSION_STATES } from '../../schemas/session.js'

const CURRENT = String(SESSION_SCHEMA_VERSION)
const REQUIRED = ['id', 'user_id', 'kind', 'state', 'safety_level'] as const
const INTEGERS = ['total_steps', 'ttl_seconds', 'version', 'created_at', 'updated_at', 'expires_at', 'absolute_expires_at', 'completed_at'] as const

/**
 * Whether the record can be written field by field: of the current schema_version, with the fields the
 * schema requires, and integers where it has numbers. Anything else (an older document, a hash written
 * by hand) takes the general path.
 */
function regular (record: SessionRecord): boolean {
  if ((record.schema_version ?? '1') !== CURRENT) return false
  for (const field of REQUIRED) if (record[field] === undefined) return false
  for (const field of INTEGERS) {
    const value = record[field]
    if (!absent(value) && !Number.isSafeInteger(Number(value))) return false
  }
  return true
}

const text = (value: string): string => JSON.stringify(value)
/** The enums' values (kind, state, safety_level) as JSON, looked up instead of escaped each time. */
const ENUM_TEXTS = new Map<string, string>([...SESSION_KINDS, ...SESSION_STATES, ...SAFETY_LEVELS].map((value) => [value, JSON.stringify(value)]))
const enumText = (value: string): string => ENUM_TEXTS.get(value) ?? text(value)
const textOrNull = (value: string | undefined): string => absent(value) ? 'null' : text(value)
const int = (value: string | undefined): string => String(Number(value ?? 0))
const time = (value: string | undefined): string => `"${isoFromMs(Number(value ?? 0))!}"`
/** Stored JSON text of an object ('{') or array ('['); `empty` where there is none (as sessionFromRecord). */
const json = (value: string | undefined, open: string, empty: string): string =>
  value !== undefined && value.charAt(0) === open ? value : empty

/** The Session as JSON text, as the response serializer writes it. */
export function sessionJson (record: SessionRecord): string {
  if (!regular(record)) return JSON.stringify(sessionFromRecord(record))
  return '{"id":' + text(record.id!) +
    ',"user_id":' + text(record.user_id!) +
    ',"workspace_id":' + textOrNull(record.workspace_id) +
    ',"kind":' + enumText(record.kind!) +
    ',"state":' + enumText(record.state!) +
    ',"safety_level":' + enumText(record.safety_level!) +
    ',"therapeutic_goals":' + json(record.therapeutic_goals, '[', '[]') +
    ',"current_scene_id":' + textOrNull(record.current_scene_id) +
    ',"total_steps":' + int(record.total_steps) +
    ',"metadata":' + json(record.metadata, '{', '{}') +
    ',"ttl_seconds":' + int(record.ttl_seconds) +
    ',"version":' + int(record.version) +
    ',"schema_version":' + CURRENT +
    ',"created_at":' + time(record.created_at) +
    ',"updated_at":' + time(record.updated_at) +
    ',"expires_at":' + time(record.expires_at) +
    ',"absolute_expires_at":' + time(record.absolute_expires_at) +
    ',"completed_at":' + (absent(record.completed_at) ? 'null' : time(record.completed_at)) +
    '}'
}

/** A page of sessions as the SessionList schema's JSON text. */
export function sessionListJson (records: readonly SessionRecord[], nextCursor: string | null): string {
  return '{"sessions":[' + records.map(sessionJson).join(',') + '],"next_cursor":' + (nextCursor === null ? 'null' : JSON.stringify(nextCursor)) + '}'
}
