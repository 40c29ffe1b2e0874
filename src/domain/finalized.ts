// The Finalized result of a session (contract §5), built from what prepare-finalize read. Pure.
import type { Finalized } from '../../schemas/finalize.js'
import type { SessionRecord } from './session-record.js'
import { sessionFromRecord } from './session-record.js'
import { computeProgress } from './progress.js'
import { liveNarrative } from './summary.js'
import { stepsFromList } from './steps.js'
import { isoFromMs } from './time.js'

/** The session as complete-finalize leaves it: completed at finalizedAtMs, one version on, retained. */
export function completedRecord (record: SessionRecord, finalizedAtMs: number, retentionSeconds: number): SessionRecord {
  return {
    ...record,
    state: 'completed',
    completed_at: String(finalizedAtMs),
    updated_at: String(finalizedAtMs),
    expires_at: String(finalizedAtMs + retentionSeconds * 1000),
    version: String(Number(record.version) + 1)
  }
}

export interface FinalizeInput {
  record: SessionRecord
  /** The stored steps list (element n-1 is step n, '' when not saved). */
  steps: readonly string[]
  narrative: Record<string, string>
  finalizedAtMs: number
  retentionSeconds: number
}

export function buildFinalized ({ record, steps, narrative, finalizedAtMs, retentionSeconds }: FinalizeInput): Finalized {
  const saved = stepsFromList(steps)
  const narrativeData = Object.entries(liveNarrative(narrative, finalizedAtMs)).map(([type, context]) => [type, context.data])
  const session = sessionFromRecord(completedRecord(record, finalizedAtMs, retentionSeconds))
  const progressUpdatedAt = record.progress_updated_at === undefined || record.progress_updated_at === '' ? null : Number(record.progress_updated_at)
  return {
    session,
    progress: computeProgress(saved.map((s) => s.step), session.total_steps, progressUpdatedAt),
    context: {
      steps: Object.fromEntries(saved.map((s) => [String(s.step), s.data])),
      // fromEntries defines properties (a "__proto__" key stays data); later steps win.
      merged: Object.fromEntries(saved.flatMap((s) => Object.entries(s.data))),
      narrative: Object.fromEntries(narrativeData),
      metadata: session.metadata
    },
    finalized_at: isoFromMs(finalizedAtMs)!
  }
}
