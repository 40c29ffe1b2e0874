// The one error table: every stable `code` the API can answer with, its HTTP status and title, and
// what it means and what a client should do (docs/errors.md is generated from it: npm run docs:errors).
// Clients switch on `code`; `type` is derived from it (urn:sessiond:problem:<code>). Below the table:
// which codes each route documents (problems()).
import { ProblemResponse, type ResponseHeaderName } from '../schemas/common.js'

export const problemTable = {
  validation_failed: {
    status: 400,
    title: 'Request validation failed',
    description: 'The request does not match its schema: a missing, unknown or badly typed field, a value out of range, malformed JSON or URL, a bad cursor or limit. `errors` lists each problem with its path.',
    advice: 'Fix the request as `errors` describes; retrying it unchanged fails again.'
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    description: 'No `authorization: Bearer <token>` header, or the token is unknown, expired or has a bad signature.',
    advice: 'Send a valid API key or a fresh end-user JWT; for a JWT, sign the user in again or refresh the token.'
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description: 'The credential is valid but may not do this: a user acting for another user, or a non-admin key on `/v1/admin`.',
    advice: 'Do not retry; use a credential that is allowed to act for that user or an admin key.'
  },
  session_not_found: {
    status: 404,
    title: 'Session not found',
    description: 'No such session for this caller: it never existed, expired, was deleted, or belongs to someone else.',
    advice: 'Treat the session as gone: create a new one (or stop polling it).'
  },
  step_not_found: {
    status: 404,
    title: 'Step not found',
    description: 'The session exists but that step has not been saved.',
    advice: 'Save the step first, or read `GET /v1/sessions/{id}/steps` to see which are saved.'
  },
  not_found: {
    status: 404,
    title: 'Not found',
    description: 'No route at this path, or a resource other than a session or step is absent (a narrative context, a finalized result, a progress snapshot).',
    advice: 'Check the URL against the OpenAPI document; for a resource, create it first.'
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    description: 'The path exists but not with this method; the `allow` header lists the methods it has.',
    advice: 'Use one of the methods in `allow`.'
  },
  request_timeout: {
    status: 408,
    title: 'Request timeout',
    description: 'The request headers did not arrive within REQUEST_HEADERS_TIMEOUT_MS, or the whole request within REQUEST_TIMEOUT_MS; the connection is closed.',
    advice: 'Send the request again over a new connection; upload large bodies faster or in smaller pieces.'
  },
  invalid_transition: {
    status: 409,
    title: 'Invalid state transition',
    description: 'The session state machine does not allow moving from the current state to the requested one (and `completed` is reached only through finalize).',
    advice: 'Read the session and choose a transition its current state allows.'
  },
  session_finalized: {
    status: 409,
    title: 'Session is finalized',
    description: 'The session is completed: nothing under it can change any more.',
    advice: 'Do not retry: read the stored result (finalizing again returns it); start a new session for new work.'
  },
  session_not_writable: {
    status: 409,
    title: 'Session is not writable in its current state',
    description: 'Writes under a session (steps, narrative, scenes, choices, messages) need it `initializing`, `active` or `transitioning`; it is `paused` or `error`.',
    advice: 'Move the session back to `active` first, then retry the write.'
  },
  safety_hold: {
    status: 409,
    title: 'Session is held for safety',
    description: 'The session is paused with `safety_level: crisis` and cannot be resumed.',
    advice: 'Lower `safety_level` below `crisis` (after the appropriate human follow-up), then resume.'
  },
  incomplete_steps: {
    status: 409,
    title: 'Steps are missing',
    description: 'Finalize was asked for while steps are unsaved; `missing_steps` lists them.',
    advice: 'Save the missing steps, or finalize with `allow_incomplete: true`.'
  },
  scene_mismatch: {
    status: 409,
    title: 'Choice does not belong to the current scene',
    description: 'A choice names a `scene_id` other than the session\'s current scene; `current_scene_id` says which it is.',
    advice: 'Enter the scene first, or send the choice for `current_scene_id`.'
  },
  version_conflict: {
    status: 412,
    title: 'Version conflict',
    description: 'The `if-match` version is not the session\'s current one (someone else changed it), or it was a weak tag; `current_version` says where it is. Nothing was changed.',
    advice: 'Re-read the session, reapply your change to the new version, and retry with its `etag`.'
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    description: 'The body is larger than BODY_LIMIT_BYTES (a single field over its own limit is `validation_failed`).',
    advice: 'Send less: split the data, or keep large content outside the session.'
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    description: 'The body is in a media type the route does not take (JSON routes take only `application/json`).',
    advice: 'Send `content-type: application/json` with a JSON body.'
  },
  idempotency_key_reused: {
    status: 422,
    title: 'Idempotency-Key reused with a different request',
    description: 'This `Idempotency-Key` was used within 24 h for a different body or operation by the same caller.',
    advice: 'Use a new key for a new request; reuse a key only to retry the identical request.'
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    description: 'This caller (API key, user or client address) used up RATE_LIMIT_MAX requests of the current RATE_LIMIT_WINDOW_MS.',
    advice: 'Wait the seconds in `retry-after`, then retry; spread requests out or cache reads (`if-none-match`).'
  },
  request_headers_too_large: {
    status: 431,
    title: 'Request headers too large',
    description: 'The request headers exceed the server\'s limit (16 KiB); the connection is closed.',
    advice: 'Send fewer or shorter headers (cookies are the usual culprit).'
  },
  internal_error: {
    status: 500,
    title: 'Internal server error',
    description: 'An unexpected failure in the service; the log line with the same `request_id` says more.',
    advice: 'Retry later with backoff; if it persists, report the `request_id`.'
  },
  redis_unavailable: {
    status: 503,
    title: 'Storage unavailable',
    description: 'Redis is down, failing over, or slower than REDIS_COMMAND_TIMEOUT_MS. A write may or may not have been applied.',
    advice: 'Retry after `retry-after` seconds with backoff; use `Idempotency-Key` on creates and `if-match` on changes so a retry is safe.'
  },
  service_unavailable: {
    status: 503,
    title: 'Service unavailable',
    description: 'The service cannot take this request right now (for example, a session changed by so many writers at once that the update could not be applied).',
    advice: 'Retry after `retry-after` seconds.'
  }
} as const satisfies Record<string, ProblemEntry>

/** One row of the error table: what the client sees (status, title) and what docs/errors.md says. */
export interface ProblemEntry {
  status: number
  title: string
  /** When this code is answered. */
  description: string
  /** What a client should do about it. */
  advice: string
}

export type ProblemCode = keyof typeof problemTable

export const PROBLEM_TYPE_PREFIX = 'urn:sessiond:problem:'

/** A domain error with a stable code. `extensions` become extra members of the problem document. */
export class AppError extends Error {
  readonly status: number
  constructor (
    readonly code: ProblemCode,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {}
  ) {
    super(detail ?? problemTable[code].title)
    this.name = 'AppError'
    this.status = problemTable[code].status
  }
}

export const sessionNotFound = (): AppError => new AppError('session_not_found', 'No such session')

export const versionConflict = (currentVersion: number): AppError =>
  new AppError('version_conflict', `The session is at version ${currentVersion}`, { current_version: currentVersion })

/** Redis is down, failing over, or slower than REDIS_COMMAND_TIMEOUT_MS. Keeps what Redis or the client
 * said (`cause`) and which operation met it, for the log line; the client sees neither. */
export class RedisUnavailableError extends AppError {
  constructor (cause?: unknown, readonly operation?: string) {
    super('redis_unavailable', 'Session storage is unavailable; retry shortly', {}, { 'retry-after': '1' })
    if (cause !== undefined) this.cause = cause
  }
}

// ---- What each route documents (docs/decisions/0606) ----

/**
 * The code a status stands for when a route lists it bare: the only code of that status, and for 503
 * redis_unavailable, which every route that touches Redis can answer. 404 and 409 have several codes
 * that mean different things, so a route names the ones it answers instead (as it names
 * service_unavailable where a retried write can give up).
 */
export const STATUS_CODE: Readonly<Partial<Record<number, ProblemCode>>> = (() => {
  const byStatus = new Map<number, ProblemCode[]>()
  for (const [code, { status }] of Object.entries(problemTable) as Array<[ProblemCode, ProblemEntry]>) {
    byStatus.set(status, [...byStatus.get(status) ?? [], code])
  }
  const single = [...byStatus].filter(([, codes]) => codes.length === 1).map(([status, codes]) => [status, codes[0]!] as const)
  return Object.fromEntries([...single, [503, 'redis_unavailable']])
})()

/** What a write under a session (steps, narrative, scenes, choices, messages) answers, besides its own codes. */
export const WRITE_UNDER_SESSION = ['session_not_found', 'session_not_writable', 'session_finalized'] as const satisfies readonly ProblemCode[]

/** Members an example of a code shows besides type, title, status, detail, code and request_id. */
const EXAMPLE_DETAILS: Partial<Record<ProblemCode, Record<string, unknown>>> = {
  validation_failed: { detail: 'body/ttl_seconds must be integer', errors: [{ path: 'body/ttl_seconds', message: 'must be integer' }] },
  session_not_found: { detail: 'No such session' },
  step_not_found: { detail: 'No such step' },
  session_not_writable: { detail: 'A paused session accepts no writes' },
  incomplete_steps: { detail: '2 of 23 steps are missing', missing_steps: [22, 23] },
  scene_mismatch: { detail: 'scene_id is not the current scene', current_scene_id: 'harbor' },
  version_conflict: { detail: 'The session is at version 4', current_version: 4 },
  rate_limited: { detail: 'At most 600 requests per 60000 ms; retry after 42 s' },
  redis_unavailable: { detail: 'Session storage is unavailable; retry shortly' }
}

/** An example problem document for `code`, as the service sends it. */
export function exampleProblem (code: ProblemCode): Record<string, unknown> {
  const { status, title } = problemTable[code]
  return {
    type: `${PROBLEM_TYPE_PREFIX}${code}`, title, status, detail: title, code, request_id: '0b7e4f0c-3f5e-4a59-9d1c-2b8f7e6a1d42', ...EXAMPLE_DETAILS[code]
  }
}

/** The headers a problem of this status carries. */
const PROBLEM_HEADERS: Partial<Record<number, ResponseHeaderName[]>> = { 401: ['www-authenticate'], 429: ['retry-after'], 503: ['retry-after'] }

/**
 * The codes a route answers, by status, from what it lists: a bare status stands for STATUS_CODE[status],
 * a code for itself. Throws on a bare status with several codes (404, 409): the route must say which.
 */
export function problemCodes (...answers: Array<number | ProblemCode>): Map<number, ProblemCode[]> {
  const codes = new Set<ProblemCode>()
  for (const answer of answers) {
    if (typeof answer === 'string') { codes.add(answer); continue }
    const code = STATUS_CODE[answer]
    if (code === undefined) {
      const choices = Object.entries(problemTable).filter(([, entry]) => entry.status === answer).map(([name]) => name)
      throw new Error(`problems(${answer}): name the ${answer} codes the route answers (${choices.join(', ')}) instead of the status`)
    }
    codes.add(code)
  }
  const byStatus = new Map<number, ProblemCode[]>()
  // In table order, statuses ascending: the document lists them the same way every time.
  for (const code of Object.keys(problemTable) as ProblemCode[]) {
    if (codes.has(code)) byStatus.set(problemTable[code].status, [...byStatus.get(problemTable[code].status) ?? [], code])
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b))
}

/**
 * The problem responses of a route schema, from the statuses and codes it lists (see problemCodes):
 * application/problem+json with `code` the enum of what the route answers, described and exemplified
 * from the error table.
 */
export function problems (...answers: Array<number | ProblemCode>): Record<number, ProblemResponse> {
  const out: Record<number, ProblemResponse> = {}
  for (const [status, codes] of problemCodes(...answers)) {
    const description = codes.map((code) => `\`${code}\`: ${problemTable[code].description}`).join('\n\n')
    const examples = Object.fromEntries(codes.map((code) => [code, exampleProblem(code)])) as Record<ProblemCode, unknown>
    out[status] = ProblemResponse(description, codes, examples, PROBLEM_HEADERS[status] ?? [])
  }
  return out
}
