// Onboarding progress (contract §4), computed from the set of saved step numbers. Pure.
import type { Progress } from '../../schemas/summary.js'
import { isoFromMs } from './time.js'

export type { Progress }

export function computeProgress (savedSteps: readonly number[], total: number, updatedAtMs: number | null): Progress {
  const completedSteps: number[] = []
  let next: number | null = null
  // The first step not saved: the gap before the first saved step past it, else the step after the last.
  let expected = 1
  for (const n of ascendingUnique(savedSteps)) {
    if (n < 1 || n > total) continue
    if (next === null && n !== expected) next = expected
    expected = n + 1
    completedSteps.push(n)
  }
  if (next === null && expected <= total) next = expected
  return {
    completed: completedSteps.length,
    total,
    percent: Math.round((completedSteps.length / total) * 1000) / 10,
    completed_steps: completedSteps,
    next_step: next,
    updated_at: isoFromMs(updatedAtMs)
  }
}

/** The step numbers in ascending order without repeats (the stored bitmap gives them so already). */
function ascendingUnique (steps: readonly number[]): readonly number[] {
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]! <= steps[i - 1]!) return [...new Set(steps)].sort((a, b) => a - b)
  }
  return steps
}

export function missingSteps (savedSteps: Iterable<number>, total: number): number[] {
  const saved = new Set(savedSteps)
  const missing: number[] = []
  for (let n = 1; n <= total; n++) if (!saved.has(n)) missing.push(n)
  return missing
}
