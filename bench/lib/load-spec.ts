// What the harness asks of a load worker (bench/load.ts) and what the worker answers.

export interface RequestSpec {
  method: string
  path: string
  body?: string
}

/** One slot of the pool: its own credentials and the requests it cycles through. */
export interface SlotSpec {
  headers: Record<string, string>
  requests: RequestSpec[]
}

export interface LoadSpec {
  url: string
  connections: number
  /** Seconds; ignored when `amount` is set. */
  duration: number
  /** A fixed number of requests instead of a duration. */
  amount?: number
  /**
   * Requests per second over all connections (autocannon's overallRate, in staggered slices: see
   * load.ts); unset = as fast as the server answers. A rate run lasts `duration` rounded to whole seconds.
   */
  rate?: number
  /** Request k goes to slot k mod slots.length, which answers with its next request in turn. */
  slots: SlotSpec[]
}

export interface LoadResult {
  requests: number
  seconds: number
  rps: number
  /** Latencies in ms, from every response (µs resolution). */
  p50: number
  p99: number
  p999: number
  max: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  /** CPU the load generator itself used per request, µs (a saturated generator shows here). */
  loadCpuMicrosPerRequest: number
}

export type ParentMessage = { type: 'run', spec: LoadSpec }
export type WorkerMessage = { type: 'ready' } | { type: 'result', result: LoadResult } | { type: 'error', message: string }
