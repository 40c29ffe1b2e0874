// The real process, started the way the README says (`npm start`, embedded Redis, no REDIS_URL), talked
// to over HTTP, and stopped with a signal.
import t from 'tap'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedRedis } from '../../src/redis/embedded-server.js'
import { freePort, isAlive, refusesConnections, sleep, type Tap } from '../helper.js'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const SHUTDOWN_GRACE_MS = 5000

interface Running {
  child: ChildProcess
  port: number
  dataDir: string
  /** stdout and stderr so far. */
  output: () => string
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>
  /** The JSON log line whose msg starts with `prefix`, once printed. */
  logLine: (prefix: string, withinMs: number) => Promise<Record<string, any>>
}

/**
 * Starts `command` in its own process group with the embedded default: no Redis and no credentials
 * configured (set empty so that a developer's .env cannot fill them in), data in a fresh directory.
 */
function start (t: Tap, command: string, args: string[], env: Record<string, string>, port: number): Running {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiond-e2e-'))
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      REDIS_URL: '', REDIS_CLUSTER_NODES: '', REDIS_SENTINELS: '',
      API_KEYS: '', ADMIN_API_KEYS: '', JWT_SECRET: '', JWT_PUBLIC_KEY: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_DATA_DIR: dataDir,
      SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
      // SIGTERM drains for this long first (the drain itself: test/fault/shutdown.test.ts).
      SHUTDOWN_DRAIN_MS: '300',
      LOG_LEVEL: 'info',
      ...env
    }
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)))
  t.teardown(async () => {
    // The whole group, even when npm is gone: a server that outlived it must not outlive the test.
    try { process.kill(-child.pid!, 'SIGKILL') } catch { /* nothing left */ }
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  })
  const logLine = async (prefix: string, withinMs: number): Promise<Record<string, any>> => {
    const deadline = Date.now() + withinMs
    while (Date.now() < deadline) {
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue
        const entry = JSON.parse(line) as Record<string, any>
        if (typeof entry.msg === 'string' && entry.msg.startsWith(prefix)) return entry
      }
      await sleep(50)
    }
    throw new Error(`no log line "${prefix}" within ${withinMs} ms; output:\n${output}`)
  }
  return { child, port, dataDir, output: () => output, exited, logLine }
}

/** Polls `path` until it answers `status`; resolves with how long that took, or rejects after `withinMs`. */
async function untilStatus (port: number, path: string, status: number, withinMs: number, output: () => string = () => ''): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    const got = await fetch(`http://127.0.0.1:${port}${path}`).then((r) => r.status, () => 0)
    if (got === status) return Date.now() - started
    await sleep(50)
  }
  throw new Error(`${path} did not answer ${status} within ${withinMs} ms; output:\n${output()}`)
}

t.before(() => {
  // Once for the file, and only if a source changed since the last build (as npm start's prestart does).
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' })
})

t.test('npm start serves the API on its embedded Redis and stops cleanly on SIGTERM', async (t) => {
  const port = await freePort()
  const server = start(t, 'npm', ['start'], {}, port)
  const readyAfter = await untilStatus(port, '/health/ready', 200, 15_000, server.output)
  t.ok(readyAfter <= 15_000, `ready after ${readyAfter} ms`)
  const embedded = await server.logLine('embedded redis-server started', 1000)
  const redisPort = Number(new URL(embedded.redis_url).port)
  t.match(embedded, { redis_url: /^redis:\/\/127\.0\.0\.1:\d+$/, data_dir: server.dataDir, redis_pid: Number })

  const created = await fetch(`http://127.0.0.1:${port}/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'e2e-user', kind: 'onboarding' })
  })
  t.equal(created.status, 201)
  const session = await created.json() as { id: string, user_id: string }
  const read = await fetch(`http://127.0.0.1:${port}${created.headers.get('location')}`)
  t.equal(read.status, 200)
  t.match(await read.json(), { id: session.id, user_id: 'e2e-user', kind: 'onboarding', version: 1 })
  t.equal(read.headers.get('etag'), '"1"')

  // The whole group, as a terminal's Ctrl-C or `kill -- -<pgid>` does: npm forwards its copy to node too.
  const stopped = Date.now()
  process.kill(-server.child.pid!, 'SIGTERM')
  const code = await server.exited
  const stopMs = Date.now() - stopped
  t.equal(code, 0, 'exit code 0')
  t.ok(stopMs < SHUTDOWN_GRACE_MS, `exited after ${stopMs} ms`)
  t.match(server.output(), '"msg":"shutting down"')
  t.ok(await refusesConnections(redisPort), 'the embedded redis-server is gone')
  t.notOk(isAlive(embedded.redis_pid), 'its process too')
})

t.test('SIGTERM to npm alone reaches the server, which stops cleanly', async (t) => {
  const port = await freePort()
  const server = start(t, 'npm', ['start'], {}, port)
  await untilStatus(port, '/health/ready', 200, 15_000, server.output)
  const embedded = await server.logLine('embedded redis-server started', 1000)
  process.kill(server.child.pid!, 'SIGTERM') // as a process manager that signals its child only
  t.equal(await server.exited, 0)
  t.ok(await refusesConnections(port), 'the HTTP port is closed')
  t.ok(await refusesConnections(Number(new URL(embedded.redis_url).port)), 'the embedded redis-server is gone')
})

t.test('a bad PORT stops npm start with a message naming PORT', async (t) => {
  const server = start(t, 'npm', ['start'], { PORT: 'abc' }, 0)
  const code = await server.exited
  t.not(code, 0, `exit code ${code}`)
  t.match(server.output(), /sessiond: invalid configuration: PORT must be an integer/)
})

t.test('killing the embedded Redis: ready 503 within 2 s while live stays 200; a redis-server on its port and data brings ready back within 5 s', async (t) => {
  const port = await freePort()
  const server = start(t, process.execPath, ['dist/src/server.js'], {}, port)
  await untilStatus(port, '/health/ready', 200, 15_000, server.output)
  const embedded = await server.logLine('embedded redis-server started', 1000)
  const redisPort = Number(new URL(embedded.redis_url).port)

  process.kill(embedded.redis_pid, 'SIGKILL')
  const notReadyAfter = await untilStatus(port, '/health/ready', 503, 2000, server.output)
  t.ok(notReadyAfter <= 2000, `ready is 503 after ${notReadyAfter} ms`)
  t.equal((await fetch(`http://127.0.0.1:${port}/health/live`)).status, 200, 'live stays 200')
  const api = await fetch(`http://127.0.0.1:${port}/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA`)
  t.equal(api.status, 503)
  t.equal(api.headers.get('retry-after'), '1')

  const again = await startEmbeddedRedis({ dataDir: embedded.data_dir, port: redisPort })
  t.teardown(() => again.stop())
  const readyAfter = await untilStatus(port, '/health/ready', 200, 5000, server.output)
  t.ok(readyAfter <= 5000, `ready again after ${readyAfter} ms`)

  process.kill(server.child.pid!, 'SIGTERM')
  t.equal(await server.exited, 0, 'and it still stops cleanly')
})
