// Onboarding steps as stored: a list whose element n-1 is step n ('' when not saved), each stored as
// '<saved_at_ms>|<data JSON>', and a hex bitmap of the saved step numbers (lua/includes/steps.lua). Pure.
import type { SavedStep } from '../../schemas/summary.js'
import { isoFromMs } from './time.js'

export type { SavedStep }

/** The step numbers a hex bitmap marks as saved (bit n-1 of the bitmap = step n), ascending. */
export function savedSteps (bitmap: string): number[] {
  const steps: number[] = []
  for (let i = 0; i < bitmap.length; i++) {
    const nibble = parseInt(bitmap[i]!, 16)
    for (let bit = 0; bit < 4; bit++) if ((nibble & (1 << bit)) !== 0) steps.push(i * 4 + bit + 1)
  }
  return steps
}

/** One stored step ('<saved_at_ms>|<data JSON>') → the API's step. */
export function stepFromStored (step: number, stored: string): SavedStep {
  const bar = stored.indexOf('|')
  return { step, data: JSON.parse(stored.slice(bar + 1)) as Record<string, unknown>, saved_at: isoFromMs(Number(stored.slice(0, bar))) }
}

/** The stored steps list → the saved steps in step order. */
export function stepsFromList (stored: readonly string[]): SavedStep[] {
  const steps: SavedStep[] = []
  stored.forEach((value, i) => { if (value !== '') steps.push(stepFromStored(i + 1, value)) })
  return steps
}
