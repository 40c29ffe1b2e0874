import { Type, type Static } from 'typebox'
import { JsonObject, Nullable, SessionId, Timestamp, NextCursor, PageQuery } from './common.js'

export const STEP_MAX_BYTES = 65_536

/** n is checked against 1..100 here and against the session's own total_steps in the script. */
export const StepParams = Type.Object({
  id: SessionId,
  n: Type.Integer({ minimum: 1, maximum: 100, description: 'Step number, 1 ≤ n ≤ the session\'s total_steps' })
}, { additionalProperties: false })
export type StepParams = Static<typeof StepParams>

export const StepData = JsonObject(STEP_MAX_BYTES, { description: 'The step\'s data: a JSON object, at most 64 KiB serialized' })

export const Progress = Type.Object({
  completed: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 1 }),
  percent: Type.Number({ minimum: 0, maximum: 100, description: '0–100, one decimal' }),
  completed_steps: Type.Array(Type.Integer({ minimum: 1 }), { description: 'Saved step numbers, ascending' }),
  next_step: Nullable(Type.Integer({ minimum: 1, description: 'Lowest unsaved step; null when all are saved' })),
  updated_at: Nullable(Timestamp)
}, { additionalProperties: false })
export type Progress = Static<typeof Progress>

export const Step = Type.Object({
  step: Type.Integer({ minimum: 1 }),
  data: Type.Record(Type.String(), Type.Unknown()),
  saved_at: Timestamp
}, { additionalProperties: false })
export type Step = Static<typeof Step>

export const SavedStep = Type.Object({
  ...Step.properties,
  progress: Progress
}, { additionalProperties: false })
export type SavedStep = Static<typeof SavedStep>

export const ListStepsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type ListStepsQuery = Static<typeof ListStepsQuery>

export const StepList = Type.Object({
  steps: Type.Array(Step),
  progress: Progress,
  next_cursor: NextCursor
}, { additionalProperties: false })
export type StepList = Static<typeof StepList>
