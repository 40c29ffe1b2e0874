// One measurement: a fresh load worker process runs autocannon against one server while the harness
// reads the server's and Redis's CPU counters, and Redis's command counters, right before and right after.
import { fork } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { LoadResult, LoadSpec, WorkerMessage } from './load-spec.js'
import { processCpuMicros, peakRssBytes, resetPeakRss, rssBytes } from './processes.js'
import type { PrivateRedis } from './redis-server.js'
import { callsDelta } from './commandstats.js'

const LOAD_WORKER = fileURLToPath(new URL('../load.ts', import.meta.url))

export interface Measurement extends LoadResult {
  /** Δ(utime + stime) of the server process ÷ requests, µs. */
  serverCpuMicrosPerRequest: number
  /** Δ(used_cpu_user + used_cpu_sys) of redis-server ÷ requests, µs. */
  redisCpuMicrosPerRequest: number
  /** VmHWM of the server after the run (reset before it when the kernel allows), bytes. */
  peakRssBytes: number
  /** VmRSS of the server right before the run, bytes. */
  rssBeforeBytes: number
  /** Whether VmHWM could be reset before the run (else peakRssBytes is the peak since start). */
  peakReset: boolean
  /**
   * Δ calls per command of `INFO commandstats` over the run (raw counts, not per request; the
   * harness's own INFO left out): commands the server sent and those its scripts ran (lib/commandstats.ts).
   */
  redisCalls: Record<string, number>
}

/**
 * sessiond adds its rate-limit counts and audit entries to Redis in batches, at most every 100 ms.
 * Waited after the load, before the last reading of the command counters, so that the batches of this
 * run's last requests are counted with it (the CPU readings are taken right after the load).
 */
const SETTLE_MS = 250
/** The least wait before a measurement's first readings (see `--settle`). */
export const DEFAULT_QUIET_MS = 2000

/** Runs autocannon in a child process and resolves with its result. */
export async function runLoadWorker (spec: LoadSpec, beforeRun: () => Promise<void> = async () => {}): Promise<LoadResult> {
  const child = fork(LOAD_WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return await new Promise<LoadResult>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void): void => { if (!settled) { settled = true; fn() } }
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        beforeRun().then(() => child.send({ type: 'run', spec }), (err: Error) => { child.kill(); settle(() => reject(err)) })
      } else if (message.type === 'result') {
        settle(() => resolve(message.result))
      } else {
        settle(() => reject(new Error(`load worker failed: ${message.message}`)))
      }
    })
    child.on('error', (err) => settle(() => reject(err)))
    child.on('exit', (code) => settle(() => reject(new Error(`load worker exited with ${code} before answering`))))
  })
}

/**
 * One measured load. `quietMs` is waited before the first readings, so that what the previous load left
 * behind — batches still to land in Redis, the garbage its server has yet to collect, the last load
 * worker exiting — is over before this one starts, rather than counted against it.
 */
export async function measure (spec: LoadSpec, serverPid: number, redis: PrivateRedis, quietMs = DEFAULT_QUIET_MS): Promise<Measurement> {
  let cpu0 = 0
  let redis0 = 0
  let rssBefore = 0
  let peakReset = false
  let calls0: Record<string, number> = {}
  const result = await runLoadWorker(spec, async () => {
    await sleep(Math.max(SETTLE_MS, quietMs))
    rssBefore = rssBytes(serverPid)
    peakReset = resetPeakRss(serverPid)
    calls0 = await redis.commandCalls()
    redis0 = await redis.cpuMicros()
    cpu0 = processCpuMicros(serverPid)
  })
  const cpu1 = processCpuMicros(serverPid)
  const redis1 = await redis.cpuMicros()
  await sleep(SETTLE_MS)
  const calls1 = await redis.commandCalls()
  const n = Math.max(1, result.requests)
  return {
    ...result,
    serverCpuMicrosPerRequest: (cpu1 - cpu0) / n,
    redisCpuMicrosPerRequest: (redis1 - redis0) / n,
    peakRssBytes: peakRssBytes(serverPid),
    rssBeforeBytes: rssBefore,
    peakReset,
    redisCalls: callsDelta(calls0, calls1)
  }
}
