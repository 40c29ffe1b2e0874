// The one error table: every stable `code` the API can answer with, its HTTP status and title.
// Clients switch on `code`; `type` is derived from it (urn:sessiond:problem:<code>).

export const problemTable = {
  validation_failed: { status: 400, title: 'Request validation failed' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  session_not_found: { status: 404, title: 'Session not found' },
  step_not_found: { status: 404, title: 'Step not found' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  invalid_transition: { status: 409, title: 'Invalid state transition' },
  session_finalized: { status: 409, title: 'Session is finalized' },
  session_not_writable: { status: 409, title: 'Session is not writable in its current state' },
  safety_hold: { status: 409, title: 'Session is held for safety' },
  incomplete_steps: { status: 409, title: 'Steps are missing' },
  scene_mismatch: { status: 409, title: 'Choice does not belong to the current scene' },
  version_conflict: { status: 412, title: 'Version conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused with a different request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  redis_unavailable: { status: 503, title: 'Storage unavailable' },
  service_unavailable: { status: 503, title: 'Service unavailable' }
} as const

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

/** Redis is down, failing over, or slower than REDIS_COMMAND_TIMEOUT_MS. */
export class RedisUnavailableError extends AppError {
  constructor (cause?: unknown) {
    super('redis_unavailable', 'Session storage is unavailable; retry shortly', {}, { 'retry-after': '1' })
    if (cause !== undefined) this.cause = cause
  }
}
