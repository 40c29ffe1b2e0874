// Child server processes (sessiond, the baselines, redis-server) and what /proc says about them.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { readFileSync, writeFileSync, createWriteStream } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** Clock ticks per second of utime/stime in /proc/<pid>/stat. */
const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100 } catch { return 100 }
})()

/** User + system CPU time of a process (all its threads), in microseconds. */
export function processCpuMicros (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may contain spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) / CLK_TCK) * 1e6
}

function statusKiB (pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match === null ? 0 : Number(match[1])
}

/** Peak resident set size since start (or since the last resetPeakRss), in bytes. */
export const peakRssBytes = (pid: number): number => statusKiB(pid, 'VmHWM') * 1024
export const rssBytes = (pid: number): number => statusKiB(pid, 'VmRSS') * 1024

/** Resets VmHWM to the current RSS (clear_refs 5), so a peak belongs to one measurement; false when not allowed. */
export function resetPeakRss (pid: number): boolean {
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); return true } catch { return false }
}

export interface ServerProcess {
  name: string
  pid: number
  url: string
  child: ChildProcess
  /** Stops it (SIGTERM, then SIGKILL after `graceMs`) and waits for the exit. */
  stop: (graceMs?: number) => Promise<void>
}

export interface StartOptions {
  name: string
  command: string
  args: string[]
  env: Record<string, string>
  cwd: string
  port: number
  /** Path polled until it answers below 500. */
  readyPath: string
  /** Where the process's stdout and stderr go. */
  logFile: string
  timeoutMs?: number
}

async function probe (port: number, path: string): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}

export async function startServer (opts: StartOptions): Promise<ServerProcess> {
  const log = createWriteStream(opts.logFile)
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  let exited: string | undefined
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => { exited = `exited with ${signal ?? code}`; resolve() }))
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  for (;;) {
    if (exited !== undefined) throw new Error(`${opts.name} ${exited} before it was ready (log: ${opts.logFile})`)
    const status = await probe(opts.port, opts.readyPath)
    if (status > 0 && status < 500) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${opts.name} was not ready within ${opts.timeoutMs ?? 30_000} ms (log: ${opts.logFile})`)
    }
    await sleep(100)
  }
  return {
    name: opts.name,
    pid: child.pid!,
    url: `http://127.0.0.1:${opts.port}`,
    child,
    stop: async (graceMs = 15_000) => {
      if (exited !== undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exit
      clearTimeout(timer)
    }
  }
}
