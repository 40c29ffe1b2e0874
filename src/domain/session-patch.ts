// Plans a PATCH of a session: validates it against the state machine and computes the stored fields
// and events of the one atomic change that applies it. Pure.
import type { Session, PatchSessionBody } from '../../schemas/session.js'
import { applyStateChange } from './session-state.js'
import { mergePatch } from './merge-patch.js'
import { AppError } from '../errors.js'
import { changeEvent, type ChangeEvent } from './events.js'

import { METADATA_MAX_BYTES } from '../../schemas/common.js'

export interface PatchPlan {
  /** Stored hash fields to set (strings, as Redis keeps them); empty when the PATCH changes nothing. */
  fields: Record<string, string>
  events: ChangeEvent[]
}

export function planPatch (current: Session, patch: PatchSessionBody): PatchPlan {
  const outcome = applyStateChange(
    { state: current.state, safetyLevel: current.safety_level },
    { state: patch.state, safetyLevel: patch.safety_level }
  )
  if (!outcome.ok) {
    const detail = {
      invalid_transition: `No transition from ${current.state} to ${String(patch.state)}`,
      safety_hold: 'The session is held for safety: lower safety_level before resuming',
      session_finalized: 'The session is finalized and accepts no changes'
    }[outcome.code]
    throw new AppError(outcome.code, detail)
  }

  const fields: Record<string, string> = {}
  if (outcome.changed) fields.state = outcome.state
  if (patch.safety_level !== undefined && patch.safety_level !== current.safety_level) fields.safety_level = patch.safety_level
  // Each new value is serialized once: the text stored is the text compared with the current value's.
  if (patch.therapeutic_goals !== undefined) {
    const serialized = JSON.stringify(patch.therapeutic_goals)
    if (serialized !== JSON.stringify(current.therapeutic_goals)) fields.therapeutic_goals = serialized
  }
  if (patch.metadata !== undefined) {
    const merged = patch.metadata === null ? {} : mergePatch(current.metadata, patch.metadata)
    const serialized = JSON.stringify(merged)
    if (Buffer.byteLength(serialized, 'utf8') > METADATA_MAX_BYTES) {
      throw new AppError('validation_failed', `metadata would exceed ${METADATA_MAX_BYTES} bytes`, { errors: [{ path: 'body/metadata', message: `merged metadata must be at most ${METADATA_MAX_BYTES} bytes` }] })
    }
    if (serialized !== JSON.stringify(current.metadata)) fields.metadata = serialized
  }
  if (patch.ttl_seconds !== undefined && patch.ttl_seconds !== current.ttl_seconds) fields.ttl_seconds = String(patch.ttl_seconds)

  const changed = Object.keys(fields)
  if (changed.length === 0) return { fields, events: [] }
  const events: ChangeEvent[] = [changeEvent('session.updated', { changed })]
  if (outcome.changed) {
    events.push(changeEvent('session.state_changed', { from: current.state, to: outcome.state }))
    if (outcome.state === 'paused') events.push(changeEvent('session.paused', { reason: outcome.pausedForSafety ? 'safety' : 'requested' }))
  }
  return { fields, events }
}
