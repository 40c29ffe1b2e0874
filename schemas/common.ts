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

/**
 * `T` or null. A schema with one JSON type becomes `type: [T, "null"]` (null added to an `enum`):
 * fast-json-stringify serializes that directly, where an `anyOf` would make it run a validator on every
 * value to pick the branch. Anything else becomes `anyOf`.
 */
export function Nullable<T extends TSchema> (schema: T) {
  const { type, enum: values, ...rest } = schema as TSchema & { type?: unknown, enum?: unknown[] }
  if (typeof type !== 'string' || type === 'null') return Type.Union([schema, Type.Null()])
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'], ...(values === undefined ? {} : { enum: [...values, null] }) })
}

/** A JSON object whose serialized size is capped; enforced by the `x-max-bytes` keyword (plugins/validation). */
export const JsonObject = (maxBytes: number, options: Record<string, unknown> = {}) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, 'x-max-bytes': maxBytes, ...options })

/**
 * A free JSON object in an answer, every key kept: a record schema (`patternProperties` `^.*$`) made the
 * response serializer drop keys holding a line break, which requests accept.
 */
export const AnyObject = () => Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true })

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

export const IfMatchHeader = Type.Optional(Type.String({ maxLength: 32, description: 'Expected session version, as "<version>" (a strong tag: W/"3" never matches)' }))
export const IfNoneMatchHeader = Type.Optional(Type.String({ maxLength: 512, description: 'The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body' }))
/** The headers of a GET that answers 304 when the client's version is current. */
export const ConditionalReadHeaders = Type.Object({ 'if-none-match': IfNoneMatchHeader })
export const IdempotencyKeyHeader = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Replays the first response for 24 h' }))

export const Problem = Type.Object({
  type: Type.String({ description: '`urn:sessiond:problem:<code>`' }),
  title: Type.String({ description: 'Short summary of the code; the same for every occurrence' }),
  status: Type.Integer({ description: 'The HTTP status' }),
  detail: Type.String({ description: 'What went wrong with this request' }),
  code: Type.String({ description: 'Stable snake_case code: switch on this (docs/errors.md lists them all)' }),
  request_id: Type.String({ description: 'The x-request-id of the response; quote it when reporting a problem' }),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { description: 'validation_failed: each problem with its path (the first 20 at most)' })),
  errors_total: Type.Optional(Type.Integer({ description: 'validation_failed: how many problems the request has; `errors` lists the first 20 at most' })),
  current_version: Type.Optional(Type.Integer({ description: 'version_conflict: the session\'s version now' })),
  missing_steps: Type.Optional(Type.Array(Type.Integer(), { description: 'incomplete_steps: the unsaved steps' })),
  current_scene_id: Type.Optional(Nullable(Type.String({ description: 'scene_mismatch: the session\'s current scene' })))
}, { $id: 'Problem', description: 'RFC 9457 problem details', additionalProperties: true })
export type Problem = Static<typeof Problem>
export const ProblemRef = Type.Unsafe<Problem>({ $ref: 'Problem#' })

// ---- documented responses ----

/**
 * Every response header the API documents, each described once; a route names the ones it sends, and
 * plugins/swagger.ts publishes them as components.headers (x-request-id on every response and
 * ratelimit-* on every /v1 response, it adds itself).
 */
export const ResponseHeaders = {
  etag: Type.String({ description: 'The session version as a strong entity tag; send it back in `if-match` to change only that version', examples: ['"3"'] }),
  location: Type.String({ description: 'Path of the created resource', examples: ['/v1/sessions/hJ3k9Qx2LmN8pR4tV6wY1zAb'] }),
  'idempotent-replayed': Type.String({ enum: ['true'], description: 'Present when this is the stored response of an earlier request with the same Idempotency-Key' }),
  'retry-after': Type.Integer({ minimum: 1, description: 'Seconds to wait before retrying', examples: [1] }),
  'www-authenticate': Type.String({ description: 'The bearer challenge, with `error="invalid_token"` when a token was sent but is not valid', examples: ['Bearer realm="sessiond"'] }),
  'x-request-id': Type.String({ pattern: REQUEST_ID_PATTERN, description: 'The incoming x-request-id when it is 1-128 chars of [A-Za-z0-9._-], else a generated one; problem bodies carry it as request_id', examples: ['0b7e4f0c-3f5e-4a59-9d1c-2b8f7e6a1d42'] }),
  'ratelimit-limit': Type.Integer({ minimum: 1, description: 'Requests this caller may make per window (RATE_LIMIT_MAX)', examples: [600] }),
  'ratelimit-remaining': Type.Integer({ minimum: 0, description: 'Requests left in the current window', examples: [598] }),
  'ratelimit-reset': Type.Integer({ minimum: 1, description: 'Seconds until the current window ends', examples: [42] })
}
export type ResponseHeaderName = keyof typeof ResponseHeaders

const headersOf = (names: readonly ResponseHeaderName[]): Record<string, TSchema> =>
  Object.fromEntries(names.map((name) => [name, ResponseHeaders[name]]))

export interface ResponseOptions {
  /** The headers the route sends with this response (besides x-request-id and ratelimit-*). */
  headers?: readonly ResponseHeaderName[]
  /** An example body, checked against the schema by the OpenAPI linters. */
  example?: unknown
}

/** A documented JSON response: description, headers and an example beside the schema that serializes it. */
export function JsonResponse<T extends TSchema> (description: string, schema: T, options: ResponseOptions = {}) {
  return {
    description,
    headers: headersOf(options.headers ?? []),
    content: { 'application/json': { schema, ...(options.example === undefined ? {} : { example: options.example }) } }
  }
}

/** `schema` with an example body for the document (request bodies); TypeBox's own members kept. */
export function withExample<T extends TSchema> (schema: T, example: Static<T>): T {
  return Object.defineProperties({}, {
    ...Object.getOwnPropertyDescriptors(schema),
    examples: { value: [example], enumerable: true, writable: true, configurable: true }
  }) as T
}

/** A documented response without a body (204). */
export const EmptyResponse = (description: string, headers: readonly ResponseHeaderName[] = []) =>
  Type.Null({ description, headers: headersOf(headers) })

/** 304 of a conditional read: the version in if-none-match is the current one. */
export const NotModified = EmptyResponse('Not modified: the version named in if-none-match is current (no body)', ['etag'])

/**
 * A documented problem response: application/problem+json whose `code` is the enum of `codes`, with
 * one example per code. Built by problems() in src/errors.ts, which knows the error table.
 */
export function ProblemResponse<const C extends string> (
  description: string, codes: readonly C[], examples: Record<C, unknown>, headers: readonly ResponseHeaderName[] = []
) {
  const schema = Type.Intersect([ProblemRef, Type.Object({ code: StringEnum(codes) })])
  const named = Object.fromEntries(codes.map((code) => [code, { value: examples[code] }]))
  return { description, headers: headersOf(headers), content: { 'application/problem+json': { schema, examples: named } } }
}
export type ProblemResponse = ReturnType<typeof ProblemResponse>
