// Session events (contract §8): every type and the shape of its `data`. Payloads say what changed,
// never step data, message content or metadata.
import { Type, type Static } from 'typebox'
import { StringEnum, Timestamp, SessionId } from './common.js'
import { SessionKind, SessionState } from './session.js'
import { ContextType } from './narrative.js'
import { MESSAGE_ROLES } from './message.js'

const Empty = Type.Object({}, { additionalProperties: false })
const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T) => Type.Object(properties, { additionalProperties: false })

export const EVENT_PAYLOADS = {
  'session.created': closed({ kind: SessionKind }),
  'session.updated': closed({ changed: Type.Array(Type.String(), { description: 'The fields (or `messages`) that changed' }) }),
  'session.state_changed': closed({ from: SessionState, to: SessionState }),
  'session.paused': closed({ reason: StringEnum(['safety', 'requested'] as const) }),
  'step.saved': closed({ step: Type.Integer({ minimum: 1 }) }),
  'step.deleted': closed({ step: Type.Integer({ minimum: 1 }) }),
  'narrative.updated': closed({ action: StringEnum(['stored', 'deleted'] as const), context_types: Type.Array(ContextType) }),
  'scene.entered': closed({ entry_id: Type.String(), scene_id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
  'choice.made': closed({ entry_id: Type.String(), scene_id: Type.String(), choice_id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
  'message.created': closed({ message_id: Type.String(), seq: Type.Integer({ minimum: 1 }), role: StringEnum(MESSAGE_ROLES) }),
  'session.finalized': closed({ finalized_at: Timestamp, completed: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 1 }) }),
  'session.deleted': Empty,
  'session.expired': Empty
} as const

export type EventType = keyof typeof EVENT_PAYLOADS
export type EventData<T extends EventType = EventType> = Static<typeof EVENT_PAYLOADS[T]>

/** One event as a stream delivers it (the SSE `data` line). */
export const SessionEvent = Type.Object({
  type: StringEnum(Object.keys(EVENT_PAYLOADS) as EventType[]),
  session_id: SessionId,
  version: Type.Integer({ minimum: 1, description: 'The session version after the change (the last version + 1 for session.deleted and session.expired)' }),
  at: Timestamp,
  // Each payload shape once (step.saved and step.deleted share one, as do session.deleted and session.expired).
  data: Type.Union([...new Map(Object.values(EVENT_PAYLOADS).map((schema) => [JSON.stringify(schema), schema])).values()])
}, { additionalProperties: false })
export type SessionEvent = Static<typeof SessionEvent>
