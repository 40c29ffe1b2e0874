// The one event vocabulary (contract §8): types and payload shapes are schemas/events.ts; this module
// says how many are retained, how a change names its events, and how stored events decode. The Lua
// scripts write events as [version, at_ms, "type", data] (lua/includes/session.lua encode_event);
// test/redis/scripts.test.ts fails when a script writes a type that is not in EVENT_PAYLOADS.
import { EVENT_PAYLOADS, type EventData, type EventType, type SessionEvent } from '../../schemas/events.js'
import { isoFromMs } from './time.js'

export type { EventType, EventData, SessionEvent }

export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[]

/** The newest events a session's log keeps (contract §8). */
export const EVENTS_RETAINED = 1000

/** An event a change emits, before the script gives it a version and a time. */
export interface ChangeEvent<T extends EventType = EventType> { type: T, data: EventData<T> }

export const changeEvent = <T extends EventType>(type: T, data: EventData<T>): ChangeEvent<T> => ({ type, data })

export function isEventType (value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_PAYLOADS, value)
}

/** One stored or announced event ([version, at_ms, "type", data]) → the event a stream delivers. */
export function decodeEvent (sessionId: string, encoded: string): SessionEvent {
  const [version, at, type, data] = JSON.parse(encoded) as [number, number, string, Record<string, unknown>]
  if (!isEventType(type)) throw new Error(`unknown event type ${String(type)}`)
  return { type, session_id: sessionId, version, at: isoFromMs(at)!, data: data as SessionEvent['data'] }
}

/** A change announcement: one encoded event per line. */
export const decodeAnnouncement = (sessionId: string, message: string): SessionEvent[] =>
  message.split('\n').map((line) => decodeEvent(sessionId, line))
