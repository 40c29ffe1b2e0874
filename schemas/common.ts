// Shared TypeBox schemas: limits and patterns (each stated once), ids, timestamps, problem documents,
// pagination, common headers.
import { Type, type Static, type TSchema } from 'typebox'

// ---- limits (contract §1, §3, §4, §6, §7) ----
/** Free JSON objects (session metadata, message metadata, choice data), serialized. */
export const METADATA_MAX_BYTES = 16_384
/** A step's data and a narrative context's data, serialized. */
export const DOCUMENT_MAX_BYTES = 65_536
export const MESSAGE_CONTENT_MAX_CHARS = 32_768
export const PAGE_LIMIT_DEFAULT = 50
export const PAGE_LIMIT_MAX = 200
/** Short free-text items: therapeutic goals, skills, scene and choice ids. */
export const SHORT_TEXT_MAX_CHARS = 256

// ---- patterns ----
/** Server-made ids: sessions, messages, history entries (URL-safe base64). */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
/** User and workspace ids, and JWT subjects (contract §3). */
export const USER_ID_PATTERN = '^[A-Za-z0-9._@:-]{1,128}$'
/** A Redis Stream entry id such as 1700000000000-0. */
export const STREAM_ID_PATTERN = '^\\d{1,20}-\\d{1,20}$'
/** An incoming x-request-id worth echoing (contract §1). */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9._-]{1,128}$'

/** A string enum rendered as `enum` (readable in OpenAPI and generated clients). */
export function StringEnum<const T extends readonly string[]> (values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A JSON object whose serialized size is capped; enforced by the `x-max-bytes` keyword (plugins/validation). */
export const JsonObject = (maxBytes: number, options: Record<string, unknown> = {}) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, 'x-max-bytes': maxBytes, ...options })

/** Free JSON object of at most METADATA_MAX_BYTES. */
export const FreeObject = (description = 'Free JSON object, at most 16 KiB serialized') => JsonObject(METADATA_MAX_BYTES, { description })

export const SessionId = Type.String({ pattern: ID_PATTERN, description: 'Session id (server-generated, URL-safe)' })
export const UserId = Type.String({ pattern: USER_ID_PATTERN, minLength: 1, maxLength: 128 })
export const WorkspaceId = UserId
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 UTC' })
export const ShortText = Type.String({ minLength: 1, maxLength: SHORT_TEXT_MAX_CHARS })

export const SessionParams = Type.Object({ id: SessionId }, { additionalProperties: false })
export type SessionParams = Static<typeof SessionParams>

export const UserParams = Type.Object({ user_id: UserId }, { additionalProperties: false })
export type UserParams = Static<typeof UserParams>

export const PageLimit = Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT })

export const PageQuery = {
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from next_cursor' })),
  limit: PageLimit
}

export const NextCursor = Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null on the last page' }))

export const IfMatchHeader = Type.Optional(Type.String({ maxLength: 32, description: 'Expected session version, as "<version>"' }))
export const IdempotencyKeyHeader = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Replays the first response for 24 h' }))

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  request_id: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  errors_total: Type.Optional(Type.Integer({ description: 'How many problems the request has: `errors` lists the first 20 at most' })),
  current_version: Type.Optional(Type.Integer()),
  missing_steps: Type.Optional(Type.Array(Type.Integer())),
  current_scene_id: Type.Optional(Nullable(Type.String()))
}, { $id: 'Problem', description: 'RFC 9457 problem details', additionalProperties: true })
export type Problem = Static<typeof Problem>

/** Response entries for the problem statuses a route can return. */
export function problems (...statuses: number[]): Record<number, typeof ProblemRef> {
  const out: Record<number, typeof ProblemRef> = {}
  for (const status of statuses) out[status] = ProblemRef
  return out
}
export const ProblemRef = Type.Unsafe<Problem>({ $ref: 'Problem#' })
