// Shared TypeBox schemas: ids, timestamps, problem documents, pagination, common headers.
import { Type, type Static, type TSchema } from 'typebox'

/** A string enum rendered as `enum` (readable in OpenAPI and generated clients). */
export function StringEnum<const T extends readonly string[]> (values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A JSON object whose serialized size is capped; enforced by the `x-max-bytes` keyword (plugins/validation). */
export const JsonObject = (maxBytes: number, options: Record<string, unknown> = {}) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, 'x-max-bytes': maxBytes, ...options })

export const SessionId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Session id (server-generated, URL-safe)' })
export const UserId = Type.String({ pattern: '^[A-Za-z0-9._@:-]{1,128}$', minLength: 1, maxLength: 128 })
export const WorkspaceId = UserId
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 UTC' })

export const SessionParams = Type.Object({ id: SessionId }, { additionalProperties: false })
export type SessionParams = Static<typeof SessionParams>

export const UserParams = Type.Object({ user_id: UserId }, { additionalProperties: false })
export type UserParams = Static<typeof UserParams>

export const PageQuery = {
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from next_cursor' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 })
}

export const NextCursor = Nullable(Type.String())

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

