// The app on its own redis-server, which these tests pause, stop, kill and restart (contract §1, §9, §11).
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/redis/embedded-server.js'
import { createSession, sleep } from './helper.js'

const COMMAND_TIMEOUT_MS = 300
const BOUND_MS = COMMAND_TIMEOUT_MS + 250

type Tap = { teardown: (fn: () => unknown) => void }

interface Stage {
  app: FastifyInstance
  dataDir: string
  server: () => EmbeddedRedis
  /** Starts a new redis-server on the same port and data directory. */
  restart: () => Promise<EmbeddedRedis>
}

/** The app on a private redis-server with AOF (appendfsync everysec), as the embedded default runs it. */
async function stage (t: Tap): Promise<Stage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiond-outage-'))
  let server = await startEmbeddedRedis({ dataDir, appendOnly: true })
  const port = server.port
  const app = await buildApp(loadConfig({
    REDIS_URL: server.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: 'silent'
  }))
  await app.ready()
  t.teardown(async () => {
    try { process.kill(server.pid, 'SIGCONT') } catch { /* gone */ }
    await app.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    app,
    dataDir,
    server: () => server,
    restart: async () => {
      server = await startEmbeddedRedis({ dataDir, appendOnly: true, port })
      return server
    }
  }
}

/** Polls `url` until it answers `status`; resolves with the time that took, or rejects after `withinMs`. */
async function untilStatus (app: FastifyInstance, url: string, status: number, withinMs: number): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if ((await app.inject(url)).statusCode === status) return Date.now() - started
    await sleep(50)
  }
  throw new Error(`${url} did not answer ${status} within ${withinMs} ms`)
}

async function timed (app: FastifyInstance, options: InjectOptions): Promise<{ response: LightMyRequestResponse, elapsed: number }> {
  const started = Date.now()
  const response = await app.inject(options)
  return { response, elapsed: Date.now() - started }
}

t.test('a paused Redis gets 503 redis_unavailable with retry-after within the command timeout + 250 ms, and recovers', async (t) => {
  const { app, server } = await stage(t)
  const session = await createSession(app)
  const doomed = await createSession(app)
  process.kill(server().pid, 'SIGSTOP')
  const requests = [
    { method: 'GET' as const, url: `/v1/sessions/${session.id}` },
    { method: 'POST' as const, url: '/v1/sessions', payload: { user_id: 'u-paused' } },
    { method: 'DELETE' as const, url: `/v1/sessions/${doomed.id}` }
  ]
  for (const request of requests) {
    const { response, elapsed } = await timed(app, request)
    t.equal(response.statusCode, 503, `${request.method} ${request.url} is 503, never 500`)
    t.equal(response.headers['retry-after'], '1')
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(response.json(), { code: 'redis_unavailable', status: 503 })
    t.ok(elapsed <= BOUND_MS, `${request.method} answered in ${elapsed} ms (bound ${BOUND_MS} ms)`)
  }
  process.kill(server().pid, 'SIGCONT')
  await untilStatus(app, '/health/ready', 200, 2000)
  const read = await app.inject(`/v1/sessions/${session.id}`)
  t.equal(read.statusCode, 200, 'the session is there after Redis resumes')
  // A timed-out command was already sent: Redis runs it when it resumes. A 503 means "outcome unknown".
  t.equal((await app.inject(`/v1/sessions/${doomed.id}`)).statusCode, 404, 'the DELETE that timed out was applied after all')
})

t.test('a stopped Redis: ready 503 within 2 s, live 200, fast 503s; a new redis-server on the same port: ready within 5 s', async (t) => {
  const { app, server, restart } = await stage(t)
  const session = await createSession(app)
  await server().stop()
  const notReadyAfter = await untilStatus(app, '/health/ready', 503, 2000)
  t.ok(notReadyAfter <= 2000, `ready turned 503 after ${notReadyAfter} ms`)
  t.equal((await app.inject('/health/live')).statusCode, 200)
  for (const request of [{ url: `/v1/sessions/${session.id}` }, { method: 'POST' as const, url: '/v1/sessions', payload: { user_id: 'u-down' } }]) {
    const { response, elapsed } = await timed(app, request)
    t.equal(response.statusCode, 503)
    t.match(response.json(), { code: 'redis_unavailable' })
    t.equal(response.headers['retry-after'], '1')
    t.ok(elapsed <= BOUND_MS, `answered in ${elapsed} ms`)
  }
  await restart()
  const readyAfter = await untilStatus(app, '/health/ready', 200, 5000)
  t.ok(readyAfter <= 5000, `ready again after ${readyAfter} ms`)
  t.equal((await app.inject(`/v1/sessions/${session.id}`)).statusCode, 200, 'and the session survived (AOF)')
})

t.test('no acknowledged write is lost across a clean Redis restart', async (t) => {
  const { app, server, restart } = await stage(t)
  const created = []
  for (let i = 0; i < 20; i++) created.push(await createSession(app, { user_id: `aof-${i}`, metadata: { i } }))
  await server().stop() // SIGTERM: redis fsyncs its AOF before exiting
  await restart()
  await untilStatus(app, '/health/ready', 200, 5000)
  for (const session of created) {
    const read = await app.inject(`/v1/sessions/${session.id}?touch=false`)
    t.equal(read.statusCode, 200, `${session.id} is back`)
    t.same(read.json(), session)
  }
})

t.test('a write acknowledged more than a second before Redis is killed survives (appendfsync everysec)', async (t) => {
  const { app, server, restart } = await stage(t)
  const created = []
  for (let i = 0; i < 5; i++) created.push(await createSession(app, { user_id: `crash-${i}` }))
  await sleep(1500)
  process.kill(server().pid, 'SIGKILL')
  await untilStatus(app, '/health/ready', 503, 2000)
  await restart()
  await untilStatus(app, '/health/ready', 200, 5000)
  for (const session of created) {
    const read = await app.inject(`/v1/sessions/${session.id}?touch=false`)
    t.equal(read.statusCode, 200, `${session.id} is back`)
    t.same(read.json(), session)
  }
})
