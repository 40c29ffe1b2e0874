// Negative return codes of the Lua scripts → typed domain errors. The one table; codes are
// documented in lua/includes/session.lua and in each script's header.
import { AppError, sessionNotFound, versionConflict } from '../errors.js'

/** The session changed between a read and the compare-and-set that followed it: read again and retry. */
export class StaleWriteError extends Error {
  constructor (readonly currentVersion: number) {
    super(`session moved to version ${currentVersion} since it was read`)
    this.name = 'StaleWriteError'
  }
}

type ErrorFactory = (detail: unknown) => Error

const scriptErrors: Record<number, ErrorFactory> = {
  [-1]: () => sessionNotFound(),
  [-2]: (current) => versionConflict(Number(current)),
  [-3]: (state) => new AppError('session_not_writable', `A ${String(state)} session accepts no writes`),
  [-4]: () => new AppError('session_finalized', 'The session is finalized and accepts no writes'),
  [-5]: () => new AppError('step_not_found', 'No such step'),
  [-6]: () => new AppError('not_found', 'No such resource'),
  [-7]: (current) => new AppError('scene_mismatch', 'scene_id is not the current scene', { current_scene_id: current === '' ? null : current }),
  [-8]: (state) => new AppError('invalid_transition', `No transition from ${String(state)}`),
  [-9]: () => new AppError('incomplete_steps', 'Steps are missing'),
  [-10]: () => new AppError('idempotency_key_reused', 'This Idempotency-Key was used with a different request'),
  [-11]: (current) => new StaleWriteError(Number(current)),
  [-12]: (total) => new AppError('validation_failed', `The step number must be between 1 and the session's total_steps (${String(total)})`,
    { errors: [{ path: 'params/n', message: `must be between 1 and ${String(total)}` }] })
}

/** Throws the mapped error for a negative status; returns the reply otherwise. */
export function unwrapScriptReply (reply: unknown): unknown[] {
  if (!Array.isArray(reply)) return [reply]
  const status = reply[0]
  if (typeof status === 'number' && status < 0) {
    const factory = scriptErrors[status]
    if (factory === undefined) throw new Error(`Lua script returned unknown status ${status}`)
    throw factory(reply[1])
  }
  return reply
}
