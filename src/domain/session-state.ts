// The session state machine of contract §3. Pure: no I/O.

import type { SESSION_STATES, SAFETY_LEVELS, SESSION_KINDS } from '../../schemas/session.js'

export type SessionState = typeof SESSION_STATES[number]
export type SafetyLevel = typeof SAFETY_LEVELS[number]
export type SessionKind = typeof SESSION_KINDS[number]

const transitions: Record<SessionState, readonly SessionState[]> = {
  initializing: ['active', 'error'],
  active: ['paused', 'transitioning', 'error'],
  paused: ['active', 'error'],
  transitioning: ['active', 'error'],
  error: ['active'],
  completed: []
}

export function canTransition (from: SessionState, to: SessionState): boolean {
  return transitions[from].includes(to)
}

export type StateChangeOutcome =
  | { ok: true, state: SessionState, changed: boolean, pausedForSafety: boolean }
  | { ok: false, code: 'invalid_transition' | 'safety_hold' | 'session_finalized' }

/**
 * Applies a requested state and/or safety level to the current ones.
 * A crisis while active or transitioning pauses the session in the same change.
 */
export function applyStateChange (
  current: { state: SessionState, safetyLevel: SafetyLevel },
  requested: { state?: SessionState, safetyLevel?: SafetyLevel }
): StateChangeOutcome {
  if (current.state === 'completed') return { ok: false, code: 'session_finalized' }
  const safety = requested.safetyLevel ?? current.safetyLevel
  let state: SessionState = current.state
  if (requested.state !== undefined && requested.state !== current.state) {
    if (!canTransition(current.state, requested.state)) return { ok: false, code: 'invalid_transition' }
    if (requested.state === 'active' && current.state === 'paused' && safety === 'crisis') {
      return { ok: false, code: 'safety_hold' }
    }
    state = requested.state
  }
  let pausedForSafety = false
  if (safety === 'crisis' && (state === 'active' || state === 'transitioning')) {
    state = 'paused'
    pausedForSafety = true
  }
  return { ok: true, state, changed: state !== current.state, pausedForSafety }
}
