// Load worker: one autocannon run in its own process, so that the generator never shares an event
// loop with the harness. Started by bench/lib/measure.ts with fork(); talks over IPC:
// → { type: 'ready' }, ← { type: 'run', spec }, → { type: 'result', result } and exits.
import autocannon from 'autocannon'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LoadResult, LoadSpec, ParentMessage, WorkerMessage } from './lib/load-spec.js'

function send (message: WorkerMessage): void {
  process.send?.(message)
}

/** At a fixed rate: autocannon instances whose per-second bursts are spread over each second. */
const RATE_SLICES = 10

function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function run (spec: LoadSpec): Promise<LoadResult> {
  const slots = spec.slots
  const cursors = new Array<number>(slots.length).fill(0)
  let next = 0
  const request: autocannon.Request = {
    // Called for every request: the pool is walked round-robin, each slot with its own credentials.
    setupRequest: (req) => {
      const s = next++ % slots.length
      const slot = slots[s]!
      const r = slot.requests[cursors[s]!++ % slot.requests.length]!
      req.method = r.method as autocannon.Request['method']
      req.path = r.path
      req.headers = r.body === undefined ? slot.headers : { ...slot.headers, 'content-type': 'application/json' }
      req.body = r.body ?? ''
      return req
    }
  }
  const latencies: number[] = []
  const cpuBefore = process.cpuUsage()
  // Timed here, first request to last response: autocannon notices the end of an `amount` run only
  // on its next one-second tick, so its own duration is too long for short runs.
  const startedAt = performance.now()
  let lastResponseAt = startedAt
  const runOne = async (connections: number, duration: number, rate: number | undefined): Promise<autocannon.Result> =>
    await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({
        url: spec.url,
        connections,
        duration,
        ...(spec.amount !== undefined ? { amount: spec.amount } : {}),
        // autocannon ends a run at its first sample tick after `duration`: every 100 ms instead of every second.
        ...(rate !== undefined ? { overallRate: rate, sampleInt: 100 } : {}),
        requests: [request]
      }, (err, done) => { if (err !== null && err !== undefined) reject(err); else resolve(done) })
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime)
        lastResponseAt = performance.now()
      })
    })
  let results: autocannon.Result[]
  let seconds: number
  if (spec.rate === undefined) {
    results = [await runOne(spec.connections, spec.duration, undefined)]
    seconds = Math.max(1e-3, (lastResponseAt - startedAt) / 1000)
  } else {
    // autocannon paces per connection and per second: a connection sends its share of each second
    // back to back when its second starts, and the connections of one instance start their seconds
    // together, so one instance would send all R requests in a burst at the top of each second.
    // Slices of the connections, each with its share of R and started 1/slices s after the previous
    // one, spread the bursts over the second. Each slice runs whole seconds: it sends its share at
    // 0, 1, … wholeSeconds − 1 s and stops half a second after its last share started, so that no
    // share is cut off (the server would run requests that are never counted). req/s is then the
    // requests completed ÷ wholeSeconds: R, unless the server fell behind.
    const wholeSeconds = Math.max(1, Math.round(spec.duration))
    const slices = Math.max(1, Math.min(RATE_SLICES, spec.connections, spec.rate))
    const share = (total: number, i: number): number => Math.floor(total / slices) + (i < total % slices ? 1 : 0)
    results = await Promise.all(Array.from({ length: slices }, async (_, i) => {
      await sleep((i * 1000) / slices)
      return await runOne(share(spec.connections, i), wholeSeconds - 0.5, share(spec.rate!, i))
    }))
    seconds = wholeSeconds
  }
  const cpu = process.cpuUsage(cpuBefore)
  const sorted = Float64Array.from(latencies).sort()
  const sum = (pick: (r: autocannon.Result) => number): number => results.reduce((total, r) => total + pick(r), 0)
  const requests = sum((r) => r.requests.total)
  const statusCodes: Record<string, number> = {}
  for (const result of results) {
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + (stat?.count ?? 0)
  }
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    loadCpuMicrosPerRequest: requests > 0 ? (cpu.user + cpu.system) / requests : 0
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type !== 'run') return
  run(message.spec).then(
    (result) => { send({ type: 'result', result }); process.disconnect?.() },
    (err: Error) => { send({ type: 'error', message: err.stack ?? err.message }); process.disconnect?.() }
  )
})
send({ type: 'ready' })
