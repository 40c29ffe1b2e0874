// Saved steps as stored (steps hash field "<n>" → {"data":{…},"saved_at":<ms>}) ↔ the API's Step. Pure.
import type { Step } from '../../schemas/steps.js'
import { isoFromMs } from './time.js'

interface StoredStep { data?: Record<string, unknown>, saved_at?: number }

export function stepFromStored (n: number, stored: string): Step {
  const parsed = JSON.parse(stored) as StoredStep
  return { step: n, data: parsed.data ?? {}, saved_at: isoFromMs(parsed.saved_at ?? 0)! }
}

/** A flat [field, value, …] steps hash → its steps in step order. */
export function stepsInOrder (hash: Record<string, string>): Step[] {
  return Object.entries(hash)
    .map(([field, stored]) => stepFromStored(Number(field), stored))
    .sort((a, b) => a.step - b.step)
}
