import { Type, type Static } from 'typebox'
import {
  StringEnum, Nullable, JsonObject, FreeObject, SessionId, UserId, WorkspaceId, Timestamp, PageQuery, NextCursor, METADATA_MAX_BYTES, SHORT_TEXT_MAX_CHARS, AnyObject } from './common.js'

export const SESSION_KINDS = ['generic', 'onboarding', 'narrative', 'chat'] as const
export const SESSION_STATES = ['initializing', 'active', 'paused', 'transitioning', 'completed', 'error'] as const
export const SAFETY_LEVELS = ['none', 'low', 'moderate', 'high', 'crisis'] as const

export const SessionKind = StringEnum(SESSION_KINDS)
export const SessionState = StringEnum(SESSION_STATES)
export const SafetyLevel = StringEnum(SAFETY_LEVELS)
export const MAX_THERAPEUTIC_GOALS = 32
export const TherapeuticGoals = Type.Array(Type.String({ maxLength: SHORT_TEXT_MAX_CHARS }), { maxItems: MAX_THERAPEUTIC_GOALS })
export const Metadata = FreeObject()
/** The shortest and longest `ttl_seconds` a client may ask for (contract §3). */
export const MIN_TTL_SECONDS = 60
export const TtlSeconds = Type.Integer({ minimum: MIN_TTL_SECONDS, maximum: 2_592_000 })

export const Session = Type.Object({
  id: SessionId,
  user_id: UserId,
  workspace_id: Nullable(WorkspaceId),
  kind: SessionKind,
  state: SessionState,
  safety_level: SafetyLevel,
  therapeutic_goals: TherapeuticGoals,
  current_scene_id: Nullable(Type.String()),
  total_steps: Type.Integer({ minimum: 1, maximum: 100 }),
  metadata: AnyObject(),
  ttl_seconds: Type.Integer(),
  version: Type.Integer({ minimum: 1 }),
  schema_version: Type.Integer({ minimum: 1 }),
  created_at: Timestamp,
  updated_at: Timestamp,
  expires_at: Timestamp,
  absolute_expires_at: Timestamp,
  completed_at: Nullable(Timestamp)
}, { $id: 'Session', additionalProperties: false })
export type Session = Static<typeof Session>
export const SessionRef = Type.Unsafe<Session>({ $ref: 'Session#' })

export const CreateSessionBody = Type.Object({
  user_id: UserId,
  workspace_id: Type.Optional(WorkspaceId),
  kind: Type.Optional(SessionKind),
  state: Type.Optional(StringEnum(['initializing', 'active'] as const)),
  ttl_seconds: Type.Optional(TtlSeconds),
  total_steps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  safety_level: Type.Optional(SafetyLevel),
  therapeutic_goals: Type.Optional(TherapeuticGoals),
  metadata: Type.Optional(Metadata)
}, { additionalProperties: false })
export type CreateSessionBody = Static<typeof CreateSessionBody>

export const PatchSessionBody = Type.Object({
  state: Type.Optional(SessionState),
  safety_level: Type.Optional(SafetyLevel),
  therapeutic_goals: Type.Optional(TherapeuticGoals),
  metadata: Type.Optional(Nullable(JsonObject(METADATA_MAX_BYTES, { description: 'RFC 7396 merge patch applied to metadata' }))),
  ttl_seconds: Type.Optional(TtlSeconds)
}, { additionalProperties: false, minProperties: 1 })
export type PatchSessionBody = Static<typeof PatchSessionBody>

export const ReadSessionQuery = Type.Object({
  touch: Type.Boolean({ default: true, description: 'false reads without sliding the expiry' })
}, { additionalProperties: false })
export type ReadSessionQuery = Static<typeof ReadSessionQuery>

export const ListSessionsQuery = Type.Object({
  state: Type.Optional(SessionState),
  kind: Type.Optional(SessionKind),
  ...PageQuery
}, { additionalProperties: false })
export type ListSessionsQuery = Static<typeof ListSessionsQuery>

export const SessionList = Type.Object({ sessions: Type.Array(SessionRef), next_cursor: NextCursor })
export type SessionList = Static<typeof SessionList>

export const ErasureResult = Type.Object({ deleted: Type.Integer({ minimum: 0 }) })
