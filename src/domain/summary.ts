// The session summary (contract §3) built from what one atomic read returned. Pure.
import type { Session } from '../../schemas/session.js'
import { computeProgress, type Progress } from './progress.js'
import { isoFromMs } from './time.js'

export interface SavedStep { step: number, data: Record<string, unknown>, saved_at: string | null }
export interface NarrativeContext { data: Record<string, unknown>, updated_at: string | null, expires_at: string | null }

export interface SessionSummary {
  session: Session
  progress: Progress
  steps: SavedStep[]
  narrative: Record<string, NarrativeContext>
  counts: { scenes: number, choices: number, messages: number }
}

/** Steps hash (field "<n>" → {"data","saved_at"}) → saved steps in step order. */
export function stepsFromHash (hash: Record<string, string>): SavedStep[] {
  return Object.entries(hash)
    .map(([n, raw]) => {
      const stored = JSON.parse(raw) as { data: Record<string, unknown>, saved_at: number }
      return { step: Number(n), data: stored.data, saved_at: isoFromMs(stored.saved_at) }
    })
    .sort((a, b) => a.step - b.step)
}

/** Narrative hash (field type → {"data","updated_at","expires_at"}) → the contexts still alive at `nowMs`. */
export function liveNarrative (hash: Record<string, string>, nowMs: number): Record<string, NarrativeContext> {
  const contexts: Record<string, NarrativeContext> = {}
  for (const [type, raw] of Object.entries(hash)) {
    const stored = JSON.parse(raw) as { data: Record<string, unknown>, updated_at: number, expires_at: number }
    if (stored.expires_at <= nowMs) continue
    contexts[type] = { data: stored.data, updated_at: isoFromMs(stored.updated_at), expires_at: isoFromMs(stored.expires_at) }
  }
  return contexts
}

export function buildSummary (
  session: Session,
  progressUpdatedAtMs: number | null,
  stepsHash: Record<string, string>,
  narrativeHash: Record<string, string>,
  counts: SessionSummary['counts'],
  nowMs: number
): SessionSummary {
  const steps = stepsFromHash(stepsHash)
  return {
    session,
    progress: computeProgress(steps.map((s) => s.step), session.total_steps, progressUpdatedAtMs),
    steps,
    narrative: liveNarrative(narrativeHash, nowMs),
    counts
  }
}
