// The bound on heap growth works: the same allocation pattern (a steady live set, much garbage that
// outlives a scavenge) peaks at a smaller heap with boundHeapGrowth() than without it.
import t from 'tap'
import { spawnSync } from 'node:child_process'

const probe = (bounded: boolean): number => {
  const script = `
    ${bounded ? "const { boundHeapGrowth } = await import('./src/heap.ts'); boundHeapGrowth(50)" : ''}
    const live = Array.from({ length: 40 }, () => new Array(10_000).fill(0).map((_, i) => ({ i })))
    let peak = 0
    let pending = []
    for (let round = 0; round < 600; round++) {
      pending.push(Array.from({ length: 10_000 }, (_, i) => ({ round, i, text: 'x'.repeat(20 + (i % 7)) })))
      if (pending.length > 30) pending = pending.slice(10)
      if (round % 5 === 0) await new Promise((resolve) => setImmediate(resolve))
      peak = Math.max(peak, process.memoryUsage().heapTotal)
    }
    console.log(JSON.stringify({ peak, live: live.length }))`
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout).peak / 1_048_576
}

t.test('boundHeapGrowth keeps the heap closer to what is live', async (t) => {
  const unbounded = probe(false)
  const bounded = probe(true)
  t.comment(`peak heap: ${unbounded.toFixed(0)} MB by default, ${bounded.toFixed(0)} MB bounded`)
  t.ok(bounded < unbounded * 0.85, `bounded ${bounded.toFixed(0)} MB < 0.85 × ${unbounded.toFixed(0)} MB`)
})
