// Onboarding progress (contract §4), computed from the set of saved step numbers. Pure.
import type { Progress } from '../../schemas/summary.js'
import { isoFromMs } from './time.js'

export type { Progress }

export function computeProgress (savedSteps: Iterable<number>, total: number, updatedAtMs: number | null): Progress {
  const saved = new Set<number>()
  for (const n of savedSteps) if (n >= 1 && n <= total) saved.add(n)
  const completedSteps = [...saved].sort((a, b) => a - b)
  let next: number | null = null
  for (let n = 1; n <= total; n++) {
    if (!saved.has(n)) { next = n; break }
  }
  return {
    completed: completedSteps.length,
    total,
    percent: Math.round((completedSteps.length / total) * 1000) / 10,
    completed_steps: completedSteps,
    next_step: next,
    updated_at: isoFromMs(updatedAtMs)
  }
}

export function missingSteps (savedSteps: Iterable<number>, total: number): number[] {
  const saved = new Set(savedSteps)
  const missing: number[] = []
  for (let n = 1; n <= total; n++) if (!saved.has(n)) missing.push(n)
  return missing
}
