// The heap settings of src/heap.ts do what they say, each shown against V8's default in a child process:
// - the bound on heap growth: the same allocation pattern (a steady live set, much garbage that outlives
//   a scavenge) peaks at a smaller heap with boundHeapGrowth() than without it;
// - pretenuring off: after a burst in which one allocation site's objects survived, that site's
//   short-lived objects keep going to the old generation by default (full GCs for garbage a scavenge
//   would have freed), and start young again with allowPretenuring(false).
import t from 'tap'
import { spawnSync } from 'node:child_process'

const runProbe = (script: string): Record<string, number> => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout)
}

const growthProbe = (bounded: boolean): number => runProbe(`
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
    console.log(JSON.stringify({ peak, live: live.length }))`).peak! / 1_048_576

/**
 * Full GCs while 6 M short-lived objects are made, after a burst that kept 800 k of the same site alive.
 * (With a 400 k burst, Node 24's V8 pretenured in only ~3 of 4 probes: 2 of 8 saw 1 full GC, 6 saw 14–20;
 * with 800 k, 8 of 8 saw 14–20, and Node 20's 32–33.)
 */
const pretenuringProbe = (allowed: boolean): number => runProbe(`
    const { allowPretenuring, boundHeapGrowth } = await import('./src/heap.ts')
    const { DEFAULT_HEAP_GROWING_PERCENT } = await import('./src/config.ts')
    boundHeapGrowth(DEFAULT_HEAP_GROWING_PERCENT)
    allowPretenuring(${String(allowed)})
    const { PerformanceObserver, constants } = await import('node:perf_hooks')
    let fullGcs = 0
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcs++
    }).observe({ entryTypes: ['gc'] })
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: 'live' + i }))
    const make = (i) => ({ i, list: [i, i + 1], name: 'n' })
    let burst = []
    for (let round = 0; round < 40; round++) { for (let i = 0; i < 20_000; i++) burst.push(make(i)); await tick() }
    burst = null
    const before = fullGcs
    let sum = 0
    for (let round = 0; round < 300; round++) { for (let i = 0; i < 20_000; i++) sum += make(i).list[1]; await tick() }
    console.log(JSON.stringify({ fullGcs: fullGcs - before, sum, live: live.length }))`).fullGcs!

t.test('boundHeapGrowth keeps the heap closer to what is live', async (t) => {
  const unbounded = growthProbe(false)
  const bounded = growthProbe(true)
  t.comment(`peak heap: ${unbounded.toFixed(0)} MB by default, ${bounded.toFixed(0)} MB bounded`)
  t.ok(bounded < unbounded * 0.85, `bounded ${bounded.toFixed(0)} MB < 0.85 × ${unbounded.toFixed(0)} MB`)
})

t.test('allowPretenuring(false): a burst does not send later short-lived objects to the old generation', async (t) => {
  // Whether V8's default pretenures in one probe depends on timing: under CI's parallel load Node 24
  // pretenured in about two probes of three (CI runs saw 18, 1, 1 and 18, 1, 19). That V8 does it is
  // shown by one probe that pretenures, tried up to six times; what sessiond relies on, that with
  // pretenuring off it does not happen, by the median of three probes.
  const byDefaultRuns: number[] = []
  while (byDefaultRuns.length < 6 && !byDefaultRuns.some((gcs) => gcs >= 5)) byDefaultRuns.push(pretenuringProbe(true))
  const offRuns = [0, 1, 2].map(() => pretenuringProbe(false))
  const off = [...offRuns].sort((a, b) => a - b)[1]!
  t.comment(`full GCs while short-lived objects are made after the burst: ${byDefaultRuns.join(', ')} by default, ${offRuns.join(', ')} with pretenuring off`)
  t.ok(byDefaultRuns.some((gcs) => gcs >= 5), `V8's default pretenures the burst's site (${byDefaultRuns.join(', ')} full GCs; if this fails, V8 no longer does and decision 0725 can be revisited)`)
  t.ok(off <= 2, `pretenuring off: median ${off} full GCs`)
})
