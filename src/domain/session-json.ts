// A session's JSON text written straight from its stored record: the text the Session schema's
// serializer writes for sessionFromRecord(record), without building that object, parsing the stored
// metadata and goals, and walking them again to serialize (docs/decisions/0726). A page of the user
// listing writes twenty; this was a third of what a page cost sessiond. Pure.
//
// Stored `metadata` and `therapeutic_goals` are JSON text that sessiond wrote with JSON.stringify (or
// checked as JSON on import), and that text is what serializing their parsed value gives: it goes into
// the answer as stored. A record of an older schema_version takes the general path (migration first).
import { sessionFromRecord, type SessionRecord } from './session-record.js'
import { SESSION_SCHEMA_VERSION } from './migrations.js'
import { isoFromMs } from './time.js'
import { SAFETY_LEVELS, SESSION_KINDS, SESSION_STATES } from '../../schemas/session.js'

const CURRENT = String(SESSION_SCHEMA_VERSION)

const text = (value: string | undefined): string => JSON.stringify(value ?? '')
/** The enums' values (kind, state, safety_level) as JSON, looked up instead of escaped each time. */
const ENUM_TEXTS = new Map<string, string>([...SESSION_KINDS, ...SESSION_STATES, ...SAFETY_LEVELS].map((value) => [value, JSON.stringify(value)]))
const enumText = (value: string | undefined): string => ENUM_TEXTS.get(value ?? '') ?? text(value)
const textOrNull = (value: string | undefined): string => value === undefined || value === '' ? 'null' : JSON.stringify(value)
const int = (value: string | undefined): string => String(Number(value ?? 0))
const time = (value: string | undefined): string => `"${isoFromMs(Number(value ?? 0))!}"`
/** Stored JSON text of an object ('{') or array ('['); `empty` where there is none (as sessionFromRecord). */
const json = (value: string | undefined, open: string, empty: string): string =>
  value !== undefined && value.charAt(0) === open ? value : empty

/** The Session as JSON text, as the response serializer writes it. */
export function sessionJson (record: SessionRecord): string {
  if ((record.schema_version ?? '1') !== CURRENT) return JSON.stringify(sessionFromRecord(record))
  return '{"id":' + text(record.id) +
    ',"user_id":' + text(record.user_id) +
    ',"workspace_id":' + textOrNull(record.workspace_id) +
    ',"kind":' + enumText(record.kind) +
    ',"state":' + enumText(record.state) +
    ',"safety_level":' + enumText(record.safety_level) +
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
    ',"completed_at":' + (record.completed_at === undefined || record.completed_at === '' ? 'null' : time(record.completed_at)) +
    '}'
}

/** A page of sessions as the SessionList schema's JSON text. */
export function sessionListJson (records: readonly SessionRecord[], nextCursor: string | null): string {
  return '{"sessions":[' + records.map(sessionJson).join(',') + '],"next_cursor":' + (nextCursor === null ? 'null' : JSON.stringify(nextCursor)) + '}'
}
