// Load worker: one autocannon run in its own process, so that the generator never shares an event
// loop with the harness. Started by bench/lib/measure.ts with fork(); talks over IPC:
// → { type: 'ready' }, ← { type: 'run', spec }, → { type: 'result', result } and exits.
import autocannon from 'autocannon'
import type { LoadResult, LoadSpec, ParentMessage, WorkerMessage } from './lib/load-spec.js'

function send (message: WorkerMessage): void {
  process.send?.(message)
}

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
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: spec.duration,
      ...(spec.amount !== undefined ? { amount: spec.amount } : {}),
      requests: [request]
    }, (err, done) => { if (err !== null && err !== undefined) reject(err); else resolve(done) })
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime)
      lastResponseAt = performance.now()
    })
  })
  const cpu = process.cpuUsage(cpuBefore)
  const sorted = Float64Array.from(latencies).sort()
  const requests = result.requests.total
  const seconds = Math.max(1e-3, (lastResponseAt - startedAt) / 1000)
  const statusCodes: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
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
