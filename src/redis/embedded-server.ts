// A private redis-server child for local runs and tests: free loopback port, AOF in dataDir, and it
// goes down with its parent, even when the parent is SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { delimiter, join, resolve } from 'node:path'
import type { Readable } from 'node:stream'

export interface EmbeddedRedisLog {
  info(msg: string): void
  warn(msg: string): void
}

export interface EmbeddedRedisOptions {
  dataDir: string
  /** AOF persistence with appendfsync everysec; tests turn it off. Default true. */
  appendOnly?: boolean
  /** Default 127.0.0.1. */
  bind?: string
  /** Default: a free loopback port. */
  port?: number
  log?: EmbeddedRedisLog
  /** Directories searched for redis-server, PATH syntax. Default process.env.PATH. */
  searchPath?: string
  /** More redis-server arguments (tests: `--enable-debug-command yes`, TLS ports, ACL files). */
  extraArgs?: string[]
}

export interface EmbeddedRedis {
  url: string
  port: number
  /** Pid of the redis-server process itself (not of its watchdog wrapper). */
  pid: number
  dataDir: string
  /** Stops redis-server (SIGTERM, so the AOF is flushed; SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>
}

export const REDIS_SERVER_MISSING_MESSAGE = [
  'redis-server was not found on PATH. sessiond starts a private one when none of REDIS_URL,',
  'REDIS_CLUSTER_NODES or REDIS_SENTINELS is set (and its tests always do). Do one of:',
  '  - install it: `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS);',
  '  - run one in Docker: `docker compose up -d redis` and set REDIS_URL=redis://127.0.0.1:6379;',
  '  - point REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS at an existing Redis.'
].join('\n')

export class RedisServerMissingError extends Error {
  readonly code = 'REDIS_SERVER_MISSING'

  constructor () {
    super(REDIS_SERVER_MISSING_MESSAGE)
    this.name = 'RedisServerMissingError'
  }
}

const READY_DEADLINE_MS = 10_000
const STOP_HARD_KILL_MS = 5_000
const OUTPUT_LINES_KEPT = 20

// $0 is the redis-server path, "$@" its arguments. fd 3 reports redis' pid to node; fd 0 is a pipe whose
// write end only node holds, so EOF there means node is gone (or called stop()): the watcher then sends
// SIGTERM, which makes redis fsync its AOF and exit. The wrapper exits with redis, so node sees redis'
// exit as the wrapper's exit.
const WATCHDOG_SCRIPT = `
exec 4<&0 </dev/null
"$0" "$@" 3>&- 4<&- &
rpid=$!
echo "$rpid" >&3
exec 3>&-
{ read -r _ ; kill -TERM "$rpid" 2>/dev/null ; } <&4 &
wpid=$!
exec 4<&-
trap 'kill -TERM "$rpid" 2>/dev/null' TERM HUP
trap '' INT
wait "$rpid"
status=$?
while kill -0 "$rpid" 2>/dev/null; do wait "$rpid"; status=$?; done
kill "$wpid" 2>/dev/null
exit "$status"
`

export function findRedisServer (searchPath: string | undefined = process.env.PATH): string | null {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not in this directory
    }
  }
  return null
}

export async function startEmbeddedRedis (opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const redisServer = findRedisServer(opts.searchPath ?? process.env.PATH)
  if (redisServer === null) throw new RedisServerMissingError()

  const bind = opts.bind ?? '127.0.0.1'
  const host = connectHost(bind)
  const port = opts.port ?? await freePort(host)
  const dataDir = resolve(opts.dataDir)
  mkdirSync(dataDir, { recursive: true })

  const args = [
    '--port', String(port),
    '--bind', bind,
    '--dir', dataDir,
    '--appendonly', opts.appendOnly === false ? 'no' : 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...(opts.extraArgs ?? [])
  ]

  // detached: a terminal Ctrl-C reaches node, which shuts down gracefully and then calls stop();
  // redis must not die first.
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, redisServer, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true
  })
  const output = new OutputTail(OUTPUT_LINES_KEPT)
  forwardLines(child.stdout, (line) => logLine(output, opts.log, line))
  forwardLines(child.stderr, (line) => logLine(output, opts.log, line))
  child.stdin?.on('error', () => {})

  let hasExited = false
  const exited = new Promise<void>((resolveExit) => {
    const onGone = (): void => {
      hasExited = true
      resolveExit()
    }
    child.once('exit', onGone)
    child.once('error', (err) => {
      output.push(`could not run /bin/sh: ${err.message}`)
      onGone()
    })
  })
  let stopping: Promise<void> | undefined
  const stop = (pid: number | undefined): Promise<void> => {
    stopping ??= stopChild(child, pid, exited, () => hasExited)
    return stopping
  }

  let pid: number | undefined
  try {
    pid = await Promise.race([
      readPid(child.stdio[3] as Readable | null),
      exited.then(() => { throw earlyExitError(output) })
    ])
    await waitUntilReady(host, port, pid, () => hasExited, exited, output)
  } catch (err) {
    await stop(pid)
    throw err
  }

  // A running redis must not keep the parent's event loop alive; stop() re-refs while it waits.
  unrefAll(child)
  const redisPid = pid
  opts.log?.info(`embedded redis-server pid ${redisPid} listening on ${host}:${port}, data in ${dataDir}`)
  return { url: `redis://${formatHost(host)}:${port}`, port, pid: redisPid, dataDir, stop: () => stop(redisPid) }
}

function logLine (output: OutputTail, log: EmbeddedRedisLog | undefined, line: string): void {
  output.push(line)
  if (log === undefined) return
  // With --loglevel warning redis prints little; its start and shutdown notices are not problems.
  if (/warning|error|fatal|can't|cannot|failed/i.test(line)) log.warn(`redis-server: ${line}`)
  else log.info(`redis-server: ${line}`)
}

async function stopChild (
  child: ChildProcess,
  pid: number | undefined,
  exited: Promise<void>,
  hasExited: () => boolean
): Promise<void> {
  if (hasExited()) return
  child.ref()
  // EOF on the wrapper's stdin makes it SIGTERM redis and wait for it.
  child.stdin?.end()
  let timer: NodeJS.Timeout | undefined
  const hardKill = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), STOP_HARD_KILL_MS)
  })
  const outcome = await Promise.race([exited, hardKill])
  clearTimeout(timer)
  if (outcome !== 'timeout') return
  if (pid !== undefined) signal(pid, 'SIGKILL')
  child.kill('SIGKILL')
  await exited
  // The wrapper is gone; redis is reaped by whichever process adopted it.
  const deadline = Date.now() + 1000
  while (pid !== undefined && isAlive(pid) && Date.now() < deadline) await sleep(20)
}

async function waitUntilReady (
  host: string,
  port: number,
  pid: number,
  hasExited: () => boolean,
  exited: Promise<void>,
  output: OutputTail
): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS
  while (Date.now() < deadline) {
    if (hasExited()) throw earlyExitError(output)
    if (await answersAs(host, port, pid, 500)) return
    await Promise.race([sleep(50), exited])
  }
  throw new Error(
    `redis-server did not answer PING on ${host}:${port} within ${READY_DEADLINE_MS / 1000} s` + outputSuffix(output)
  )
}

/**
 * True when the server on host:port answers PING with +PONG and INFO says it is process `pid`: a server
 * that already held the port (ours then fails with "Address already in use") does not count.
 */
function answersAs (host: string, port: number, pid: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    let reply = ''
    let settled = false
    const socket: Socket = connect({ host, port })
    const finish = (ok: boolean): void => {
      if (settled) return
      settled = true
      socket.destroy()
      resolveProbe(ok)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.on('error', () => finish(false))
    socket.on('close', () => finish(false))
    socket.on('connect', () => socket.write('PING\r\nINFO server\r\n'))
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1')
      // -LOADING while the AOF is replayed, -NOAUTH, ...
      if (reply.includes('\r\n') && !reply.startsWith('+PONG\r\n')) return finish(false)
      const match = /\r\nprocess_id:(\d+)\r\n/.exec(reply)
      if (match !== null) finish(Number(match[1]) === pid)
    })
  })
}

function freePort (host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => port > 0 ? resolvePort(port) : reject(new Error('could not pick a free port')))
    })
  })
}

function readPid (stream: Readable | null): Promise<number> {
  return new Promise((resolvePid, reject) => {
    if (stream === null) {
      reject(new Error('embedded redis: the watchdog wrapper has no pid pipe'))
      return
    }
    let text = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      text += chunk
      const pid = Number.parseInt(text, 10)
      if (text.includes('\n') && Number.isInteger(pid) && pid > 0) resolvePid(pid)
    })
    stream.on('error', reject)
    stream.on('end', () => reject(new Error('embedded redis: the watchdog wrapper did not report a pid')))
  })
}

function forwardLines (stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return
  let partial = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') onLine(line.trimEnd())
  })
  stream.on('end', () => { if (partial.trim() !== '') onLine(partial.trimEnd()) })
  stream.on('error', () => {})
}

function unrefAll (child: ChildProcess): void {
  child.unref()
  for (const stream of child.stdio) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.()
  }
}

class OutputTail {
  private readonly lines: string[] = []
  constructor (private readonly max: number) {}

  push (line: string): void {
    this.lines.push(line)
    if (this.lines.length > this.max) this.lines.shift()
  }

  text (): string {
    return this.lines.join('\n')
  }
}

function earlyExitError (output: OutputTail): Error {
  return new Error('redis-server exited during start-up' + outputSuffix(output))
}

function outputSuffix (output: OutputTail): string {
  const text = output.text()
  return text === '' ? ' (it printed nothing)' : `; its last output:\n${text}`
}

function connectHost (bind: string): string {
  // bind may list several addresses; the first one is where we can reach it.
  const first = bind.trim().split(/\s+/)[0]?.replace(/^-/, '') ?? '127.0.0.1'
  if (first === '' || first === '*' || first === '0.0.0.0') return '127.0.0.1'
  if (first === '::' || first === '::*') return '::1'
  return first
}

function formatHost (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  // An orphan that was killed stays a zombie when PID 1 does not reap (node as PID 1 in a container).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

function signal (pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms))
}
