// A session's JSON text written straight from its stored record, for the user listing: what the Session
// schema's serializer writes for sessionFromRecord(record), without building that object, parsing the
// stored metadata and goals, and serializing them again (docs/decisions/0726 says why, what it relies
// on, and the test that holds the two writers equal). Pure.
import { absent, sessionFromRecord, type SessionRecord } from './session-record.js'
import { SESSION_SCHEMA_VERSION } from './migrations.js'
import { isoFromMs } from './time.js'
import { SAFETY_LEVELS, SESSION_KINDS, SESSION_STATES } from '../../schemas/session.js'

const CURRENT = String(SESSION_SCHEMA_VERSION)
const text = (value: string): string => JSON.stringify(value)
/** The enums' values (kind, state, safety_level) as JSON, looked up instead of escaped each time. */
const ENUM_TEXTS = new Map<string, string>([...SESSION_KINDS, ...SESSION_STATES, ...SAFETY_LEVELS].map((value) => [value, JSON.stringify(value)]))
const enumText = (value: string): string => ENUM_TEXTS.get(value) ?? text(value)
const textOrNull = (value: string | undefined): string => absent(value) ? 'null' : text(value)
/** Stored JSON text of an object ('{') or array ('['); `empty` where there is none (as sessionFromRecord). */
const json = (value: string | undefined, open: string, empty: string): string =>
  value !== undefined && value.charAt(0) === open ? value : empty

/** A stored number's value: 0 where absent, NaN where it is not a safe integer (the record is then not regular). */
function integer (value: string | undefined): number {
  if (absent(value)) return 0
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : NaN
}
const time = (ms: number): string => `"${isoFromMs(ms)!}"`

/**
 * The Session as JSON text, as the response serializer writes it. Written in one pass over the record
 * where it is regular: of the current schema_version, with the fields the schema requires, and integers
 * where it has numbers. Anything else (an older document, a hash written by hand) takes the general path.
 */
export function sessionJson (record: SessionRecord): string {
  const { id, user_id: userId, kind, state, safety_level: safety } = record
  const total = integer(record.total_steps)
  const ttl = integer(record.ttl_seconds)
  const version = integer(record.version)
  const created = integer(record.created_at)
  const updated = integer(record.updated_at)
  const expires = integer(record.expires_at)
  const absolute = integer(record.absolute_expires_at)
  const completed = integer(record.completed_at)
  if (id === undefined || userId === undefined || kind === undefined || state === undefined || safety === undefined ||
    (record.schema_version ?? '1') !== CURRENT ||
    Number.isNaN(total + ttl + version + created + updated + expires + absolute + completed)) {
    return JSON.stringify(sessionFromRecord(record))
  }
  return '{"id":' + text(id) +
    ',"user_id":' + text(userId) +
    ',"workspace_id":' + textOrNull(record.workspace_id) +
    ',"kind":' + enumText(kind) +
    ',"state":' + enumText(state) +
    ',"safety_level":' + enumText(safety) +
    ',"therapeutic_goals":' + json(record.therapeutic_goals, '[', '[]') +
    ',"current_scene_id":' + textOrNull(record.current_scene_id) +
    ',"total_steps":' + total +
    ',"metadata":' + json(record.metadata, '{', '{}') +
    ',"ttl_seconds":' + ttl +
    ',"version":' + version +
    ',"schema_version":' + CURRENT +
    ',"created_at":' + time(created) +
    ',"updated_at":' + time(updated) +
    ',"expires_at":' + time(expires) +
    ',"absolute_expires_at":' + time(absolute) +
    ',"completed_at":' + (absent(record.completed_at) ? 'null' : time(completed)) +
    '}'
}

/** A page of sessions as the SessionList schema's JSON text. */
export function sessionListJson (records: readonly SessionRecord[], nextCursor: string | null): string {
  return '{"sessions":[' + records.map(sessionJson).join(',') + '],"next_cursor":' + (nextCursor === null ? 'null' : JSON.stringify(nextCursor)) + '}'
}
