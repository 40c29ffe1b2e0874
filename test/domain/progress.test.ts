import t from 'tap'
import { computeProgress, missingSteps } from '../../src/domain/progress.js'

/** What progress means (contract §4), stated the slow way. */
function reference (saved: number[], total: number): { completed: number[], next: number | null } {
  const completed = [...new Set(saved.filter((n) => n >= 1 && n <= total))].sort((a, b) => a - b)
  let next: number | null = null
  for (let n = 1; n <= total; n++) if (!completed.includes(n)) { next = n; break }
  return { completed, next }
}

t.test('progress: completed steps ascending and distinct, the first unsaved step next, whatever the input order', async (t) => {
  const cases: Array<[number[], number]> = [
    [[], 5], [[1, 2, 3], 3], [[2, 3], 3], [[1, 3], 3], [[3, 1, 2, 2], 4], [[7, 0, -1, 2], 5], [[5], 5], [[1, 2, 3, 4, 5], 5]
  ]
  let seed = 7
  const random = (n: number): number => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % n }
  for (let i = 0; i < 200; i++) {
    const total = 1 + random(30)
    cases.push([Array.from({ length: random(total + 5) }, () => random(total + 3)), total])
  }
  for (const [saved, total] of cases) {
    const expected = reference(saved, total)
    const got = computeProgress(saved, total, 1_700_000_000_000)
    t.same({ completed: got.completed_steps, next: got.next_step, count: got.completed },
      { completed: expected.completed, next: expected.next, count: expected.completed.length }, `${JSON.stringify(saved)} of ${total}`)
    t.equal(got.percent, Math.round((expected.completed.length / total) * 1000) / 10)
    t.same(missingSteps(saved, total), Array.from({ length: total }, (_, i) => i + 1).filter((n) => !expected.completed.includes(n)))
  }
  t.equal(computeProgress([1], 2, null).updated_at, null)
})
