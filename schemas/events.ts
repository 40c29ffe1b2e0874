// Session events (contract §8): every type and the shape of its `data`. Payloads say what changed,
// never step data, message content or metadata.
import { Type, type Static } from 'typebox'
import { StringEnum, Timestamp, SessionId } from './common.js'
import { SessionKind, SessionState } from './session.js'
import { ContextType } from './narrative.js'
import { MESSAGE_ROLES } from './message.js'

/** A payload: closed, titled by its event type (two types may share a shape, e.g. step.saved and step.deleted). */
const closed = <T extends Parameters<typeof Type.Object>[0]>(type: string, properties: T) =>
  Type.Object(properties, { additionalProperties: false, title: `${type} data` })

export const EVENT_PAYLOADS = {
  'session.created': closed('session.created', { kind: SessionKind }),
  'session.updated': closed('session.updated', { changed: Type.Array(Type.String(), { description: 'The fields (or `messages`) that changed' }) }),
  'session.state_changed': closed('session.state_changed', { from: SessionState, to: SessionState }),
  'session.paused': closed('session.paused', { reason: StringEnum(['safety', 'requested'] as const) }),
  'step.saved': closed('step.saved', { step: Type.Integer({ minimum: 1 }) }),
  'step.deleted': closed('step.deleted', { step: Type.Integer({ minimum: 1 }) }),
  'narrative.updated': closed('narrative.updated', { action: StringEnum(['stored', 'deleted'] as const), context_types: Type.Array(ContextType) }),
  'scene.entered': closed('scene.entered', { entry_id: Type.String(), scene_id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
  'choice.made': closed('choice.made', { entry_id: Type.String(), scene_id: Type.String(), choice_id: Type.String(), index: Type.Integer({ minimum: 0 }) }),
  'message.created': closed('message.created', { message_id: Type.String(), seq: Type.Integer({ minimum: 1 }), role: StringEnum(MESSAGE_ROLES) }),
  'session.finalized': closed('session.finalized', { finalized_at: Timestamp, completed: Type.Integer({ minimum: 0 }), total: Type.Integer({ minimum: 1 }) }),
  'session.deleted': closed('session.deleted', {}),
  'session.expired': closed('session.expired', {})
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
