// The error codes of the Lua scripts: the one table. The script loader declares each as a Lua constant
// E_<NAME> = code (lua/includes "constants"), and a negative status in a reply becomes the error
// made here. test/redis/scripts.test.ts checks that every E_* the scripts use is in this table and
// every entry is used.
import { AppError, sessionNotFound, versionConflict } from '../errors.js'
import { unpackSessionRecord, type SessionRecord } from '../domain/session-record.js'

/**
 * The session changed between a read and the compare-and-set that followed it: read again and retry.
 * `current`: the session as it is now, where the script answered it too (PATCH: no read needed to retry).
 */
export class StaleWriteError extends Error {
  constructor (readonly currentVersion: number, readonly current?: SessionRecord) {
    super(`session moved to version ${currentVersion} since it was read`)
    this.name = 'StaleWriteError'
  }
}

interface ScriptError { code: number, error: (detail: unknown, more: unknown) => Error }

export const SCRIPT_ERRORS = {
  /** Absent, or not the caller's: the same answer (no existence oracle). */
  SESSION_NOT_FOUND: { code: -1, error: () => sessionNotFound() },
  /** if-match named another version; detail: the current version. */
  VERSION_CONFLICT: { code: -2, error: (current) => versionConflict(Number(current)) },
  /** The session's state accepts no writes under it; detail: the state. */
  NOT_WRITABLE: { code: -3, error: (state) => new AppError('session_not_writable', `A ${String(state)} session accepts no writes`) },
  FINALIZED: { code: -4, error: () => new AppError('session_finalized', 'The session is finalized and accepts no writes') },
  STEP_NOT_FOUND: { code: -5, error: () => new AppError('step_not_found', 'No such step') },
  /** Something under the session (a narrative context) is absent or expired. */
  NOT_FOUND: { code: -6, error: () => new AppError('not_found', 'No such resource') },
  /** A choice named another scene; detail: the current scene ('' for none). */
  SCENE_MISMATCH: {
    code: -7,
    error: (current) => new AppError('scene_mismatch', 'scene_id is not the current scene', { current_scene_id: current === '' ? null : current })
  },
  IDEMPOTENCY_KEY_REUSED: { code: -8, error: () => new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request') },
  /** Changed since the caller read it (compare-and-set); detail: the current version, then the packed session if the script sends it. */
  STALE: { code: -9, error: (current, packed) => new StaleWriteError(Number(current), packed === undefined ? undefined : unpackSessionRecord(String(packed))) },
  /** Step number beyond the session's total_steps; detail: total_steps. */
  STEP_OUT_OF_RANGE: {
    code: -10,
    error: (total) => new AppError('validation_failed', `The step number must be between 1 and the session's total_steps (${String(total)})`,
      { errors: [{ path: 'params/n', message: `must be between 1 and ${String(total)}` }] })
  }
} as const satisfies Record<string, ScriptError>

const byCode = new Map<number, ScriptError>(Object.values(SCRIPT_ERRORS).map((e) => [e.code, e]))

/** The Lua constants E_<NAME> = code. */
export const luaErrorConstants = (): Record<string, number> =>
  Object.fromEntries(Object.entries(SCRIPT_ERRORS).map(([name, { code }]) => [`E_${name}`, code]))

/** Throws the mapped error for a negative status; returns the reply (always an array) otherwise. */
export function unwrapScriptReply (reply: unknown): unknown[] {
  if (!Array.isArray(reply)) return [reply]
  const status = reply[0]
  if (typeof status === 'number' && status < 0) {
    const known = byCode.get(status)
    if (known === undefined) throw new Error(`Lua script returned unknown status ${status}`)
    throw known.error(reply[1], reply[2])
  }
  return reply
}
