// PUT step's answer as JSON text: what the SaveStepResult schema's serializer writes, with the step's data
// as the text already written to store it (jsonText), instead of serializing that object a second time
// (the pattern of docs/decisions/0726; test/routes/steps.test.ts holds the answer byte for byte equal to
// GET step and GET progress). Pure.
import type { Progress } from './progress.js'
import type { SaveStepResult } from '../../schemas/steps.js'

const stringOrNull = (value: string | null): string => value === null ? 'null' : JSON.stringify(value)

/** Progress as JSON text, in the schema's property order. */
export function progressJson (progress: Progress): string {
  return '{"completed":' + String(progress.completed) +
    ',"total":' + String(progress.total) +
    ',"percent":' + String(progress.percent) +
    ',"completed_steps":[' + progress.completed_steps.join(',') + ']' +
    ',"next_step":' + (progress.next_step === null ? 'null' : String(progress.next_step)) +
    ',"updated_at":' + stringOrNull(progress.updated_at) + '}'
}

/** A saved step with its progress; `dataText` is JSON.stringify(saved.data). */
export function savedStepJson (saved: SaveStepResult, dataText: string): string {
  return '{"step":' + String(saved.step) +
    ',"data":' + dataText +
    ',"saved_at":' + stringOrNull(saved.saved_at) +
    ',"progress":' + progressJson(saved.progress) + '}'
}
