// The session summary (contract §3) built from what one atomic read returned. Pure.
import type { Session } from '../../schemas/session.js'
import type { SessionSummary, SummaryContext } from '../../schemas/summary.js'
import { computeProgress } from './progress.js'
import { stepsFromList } from './steps.js'
import { isoFromMs } from './time.js'

/** Narrative hash (field type → {"data","updated_at","expires_at"}) → the contexts still alive at `nowMs`. */
export function liveNarrative (hash: Record<string, string>, nowMs: number): Record<string, SummaryContext> {
  const contexts: Record<string, SummaryContext> = {}
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
  storedSteps: readonly string[],
  narrativeHash: Record<string, string>,
  counts: SessionSummary['counts'],
  nowMs: number
): SessionSummary {
  const steps = stepsFromList(storedSteps)
  return {
    session,
    progress: computeProgress(steps.map((s) => s.step), session.total_steps, progressUpdatedAtMs),
    steps,
    narrative: liveNarrative(narrativeHash, nowMs),
    counts
  }
}
