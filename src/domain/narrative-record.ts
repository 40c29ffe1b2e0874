// Stored narrative documents (JSON strings in Redis, times in epoch ms) ↔ the API's shapes. Pure.
// Formats: narrative hash field <context_type> → {"expires_at","updated_at","data"};
// scenes list entry {"index","id","entered_at","scene_id"}; choices list entry
// {"index","id","made_at","scene_id","choice_id","label","data"}.
import type { NarrativeContext, Scene, Choice } from '../../schemas/narrative.js'
import { isoFromMs } from './time.js'

interface StoredContext { data: Record<string, unknown>, updated_at: number, expires_at: number }

/** A context as the API shows it; its expiry never reads later than its session's. */
export function contextFromStored (contextType: string, raw: string, sessionExpiresAtMs: number): NarrativeContext {
  const stored = JSON.parse(raw) as StoredContext
  return {
    context_type: contextType,
    data: stored.data,
    updated_at: isoFromMs(stored.updated_at)!,
    expires_at: isoFromMs(Math.min(stored.expires_at, sessionExpiresAtMs))!
  }
}

export function sceneFromStored (raw: string): Scene {
  const stored = JSON.parse(raw) as { id: string, scene_id: string, entered_at: number, index: number }
  return { id: stored.id, scene_id: stored.scene_id, entered_at: isoFromMs(stored.entered_at)!, index: stored.index }
}

export function choiceFromStored (raw: string): Choice {
  const stored = JSON.parse(raw) as Omit<Choice, 'made_at'> & { made_at: number }
  return {
    id: stored.id,
    scene_id: stored.scene_id,
    choice_id: stored.choice_id,
    label: stored.label ?? null,
    data: stored.data ?? null,
    made_at: isoFromMs(stored.made_at)!,
    index: stored.index
  }
}
