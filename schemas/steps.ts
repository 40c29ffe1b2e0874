import { Type, type Static } from 'typebox'
import { JsonObject, SessionId, NextCursor, PageQuery, DOCUMENT_MAX_BYTES } from './common.js'
import { ProgressRef, SavedStep } from './summary.js'

/** n is checked against 1..100 here and against the session's own total_steps in the script. */
export const StepParams = Type.Object({
  id: SessionId,
  n: Type.Integer({ minimum: 1, maximum: 100, description: 'Step number, 1 ≤ n ≤ the session\'s total_steps' })
}, { additionalProperties: false })
export type StepParams = Static<typeof StepParams>

export const StepData = JsonObject(DOCUMENT_MAX_BYTES, { description: 'The step\'s data: a JSON object, at most 64 KiB serialized' })

/** One saved step: the same shape the session summary lists. */
export const Step = SavedStep
export type Step = Static<typeof Step>

export const SaveStepResult = Type.Object({
  ...Step.properties,
  progress: ProgressRef
}, { additionalProperties: false })
export type SaveStepResult = Static<typeof SaveStepResult>

export const ListStepsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type ListStepsQuery = Static<typeof ListStepsQuery>

export const StepList = Type.Object({
  steps: Type.Array(Step),
  progress: ProgressRef,
  next_cursor: NextCursor
}, { additionalProperties: false })
export type StepList = Static<typeof StepList>
