// The one event vocabulary (contract §8): types and payload shapes are schemas/events.ts; this module
// gives each type its stable stored code and field order, says how many events are retained, and
// encodes and decodes them. The log and the change channel carry an event as a compact JSON array
// [version, at_ms, code, …values in EVENT_FIELDS order] (the Lua scripts write it with the generated
// constants EV_<TYPE>; lua/includes/session.lua encode_event), and streams deliver it as SessionEvent.
import { EVENT_PAYLOADS, type EventData, type EventType, type SessionEvent } from '../../schemas/events.js'
import { isoFromMs } from './time.js'

export type { EventType, EventData, SessionEvent }

/** Each type's code as stored: never reuse or renumber a code (stored logs outlive a release). */
export const EVENT_CODES: Readonly<Record<EventType, number>> = {
  'session.created': 1,
  'session.updated': 2,
  'session.state_changed': 3,
  'session.paused': 4,
  'step.saved': 5,
  'step.deleted': 6,
  'narrative.updated': 7,
  'scene.entered': 8,
  'choice.made': 9,
  'message.created': 10,
  'session.finalized': 11,
  'session.deleted': 12,
  'session.expired': 13
}

/** The order in which a stored event holds its payload's fields (test/domain/events.test.ts holds it to the schemas). */
export const EVENT_FIELDS: { readonly [T in EventType]: ReadonlyArray<keyof EventData<T> & string> } = {
  'session.created': ['kind'],
  'session.updated': ['changed'],
  'session.state_changed': ['from', 'to'],
  'session.paused': ['reason'],
  'step.saved': ['step'],
  'step.deleted': ['step'],
  'narrative.updated': ['action', 'context_types'],
  'scene.entered': ['entry_id', 'scene_id', 'index'],
  'choice.made': ['entry_id', 'scene_id', 'choice_id', 'index'],
  'message.created': ['message_id', 'seq', 'role'],
  'session.finalized': ['finalized_at', 'completed', 'total'],
  'session.deleted': [],
  'session.expired': []
}

export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[]
const TYPE_BY_CODE = new Map<number, EventType>(Object.entries(EVENT_CODES).map(([type, code]) => [code, type as EventType]))

/** The newest events a session's log keeps (contract §8). */
export const EVENTS_RETAINED = 1000

/**
 * The log may grow this far past EVENTS_RETAINED before it is trimmed back: one LTRIM per this many
 * changes instead of one per change once a session has a full log.
 */
export const EVENTS_TRIM_SLACK = 100

/** An event a change emits, before the script gives it a version and a time. */
export interface ChangeEvent<T extends EventType = EventType> { type: T, data: EventData<T> }

export const changeEvent = <T extends EventType>(type: T, data: EventData<T>): ChangeEvent<T> => ({ type, data })

/**
 * The Lua constants EV_<TYPE> = code, as the text the scripts write into an event: Lua turns a number
 * into text through sprintf on every concatenation (~0.3 µs in Redis 7.0's Lua), a string costs nothing.
 */
export const luaEventConstants = (): Record<string, string> =>
  Object.fromEntries(EVENT_TYPES.map((type) => [`EV_${type.replace('.', '_').toUpperCase()}`, String(EVENT_CODES[type])]))

/** A change event's payload as the scripts append it after [version, at, code: its values, comma-separated JSON. */
export function encodedValues (event: ChangeEvent): string {
  const fields = EVENT_FIELDS[event.type] as readonly string[]
  return JSON.stringify(fields.map((field) => (event.data as Record<string, unknown>)[field])).slice(1, -1)
}

/** One stored or announced event → the event a stream delivers. */
export function decodeEvent (sessionId: string, encoded: string): SessionEvent {
  const [version, at, code, ...values] = JSON.parse(encoded) as [number, number, number, ...unknown[]]
  const type = TYPE_BY_CODE.get(code)
  if (type === undefined) throw new Error(`unknown event code ${String(code)}`)
  const data: Record<string, unknown> = {}
  EVENT_FIELDS[type].forEach((field, i) => { data[field] = values[i] })
  return { type, session_id: sessionId, version, at: isoFromMs(at)!, data: data as SessionEvent['data'] }
}

/** A change announcement: one encoded event per line. */
export const decodeAnnouncement = (sessionId: string, message: string): SessionEvent[] =>
  message.split('\n').map((line) => decodeEvent(sessionId, line))
