import { Type, type Static } from 'typebox'
import { Nullable, Timestamp, AnyObject } from './common.js'
import { SessionRef } from './session.js'

export const Progress = Type.Object({
  completed: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 1 }),
  percent: Type.Number({ minimum: 0, maximum: 100, description: 'One decimal' }),
  completed_steps: Type.Array(Type.Integer({ minimum: 1 }), { description: 'Ascending' }),
  next_step: Nullable(Type.Integer({ minimum: 1 })),
  updated_at: Nullable(Timestamp)
}, { $id: 'Progress' })
export type Progress = Static<typeof Progress>
export const ProgressRef = Type.Unsafe<Progress>({ $ref: 'Progress#' })

export const SavedStep = Type.Object({
  step: Type.Integer({ minimum: 1 }),
  data: AnyObject(),
  saved_at: Nullable(Timestamp)
})
export type SavedStep = Static<typeof SavedStep>

/** A narrative context as the summary lists it (keyed by its context_type). */
export const SummaryContext = Type.Object({
  data: AnyObject(),
  updated_at: Nullable(Timestamp),
  expires_at: Nullable(Timestamp)
})
export type SummaryContext = Static<typeof SummaryContext>

export const SessionSummary = Type.Object({
  session: SessionRef,
  progress: ProgressRef,
  steps: Type.Array(SavedStep),
  narrative: Type.Record(Type.String(), SummaryContext),
  counts: Type.Object({
    scenes: Type.Integer({ minimum: 0 }),
    choices: Type.Integer({ minimum: 0 }),
    messages: Type.Integer({ minimum: 0 })
  })
})
export type SessionSummary = Static<typeof SessionSummary>
