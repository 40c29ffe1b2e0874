// The app on its own redis-server, which these tests pause, stop, kill and restart (contract §1, §9, §11).
import t, { type Test } from 'tap'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { startEmbeddedRedis } from '../src/redis/embedded-server.js'
import { createSession, freePort, privateRedis, sleep, slowDown, tempDir, type PrivateRedis, type Tap } from './helper.js'

const COMMAND_TIMEOUT_MS = 300
const BOUND_MS = COMMAND_TIMEOUT_MS + 250

/** The app on a private redis-server with AOF (appendfsync everysec), as the embedded default runs it. */
async function stage (t: Tap): Promise<{ app: FastifyInstance, redis: PrivateRedis }> {
  const redis = await privateRedis(t, { appendOnly: true })
  const app = await buildApp(loadConfig({
    REDIS_URL: redis.server.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: 'silent'
  }))
  await app.ready()
  t.teardown(() => app.close())
  return { app, redis }
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

/** Every session is readable, unchanged. */
async function assertStored (t: Pick<Test, 'equal' | 'same'>, app: FastifyInstance, sessions: Array<{ id: string }>): Promise<void> {
  for (const session of sessions) {
    const read = await app.inject(`/v1/sessions/${session.id}?touch=false`)
    t.equal(read.statusCode, 200, `${session.id} is back`)
    t.same(read.json(), session)
  }
}

async function timed (app: FastifyInstance, options: InjectOptions): Promise<{ response: LightMyRequestResponse, elapsed: number }> {
  const started = Date.now()
  const response = await app.inject(options)
  return { response, elapsed: Date.now() - started }
}

t.test('a paused Redis gets 503 redis_unavailable with retry-after within the command timeout + 250 ms, and recovers', async (t) => {
  const { app, redis } = await stage(t)
  const session = await createSession(app)
  const doomed = await createSession(app)
  process.kill(redis.server.pid, 'SIGSTOP')
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
  process.kill(redis.server.pid, 'SIGCONT')
  await untilStatus(app, '/health/ready', 200, 2000)
  const read = await app.inject(`/v1/sessions/${session.id}`)
  t.equal(read.statusCode, 200, 'the session is there after Redis resumes')
  // A timed-out command was already sent: Redis runs it when it resumes. A 503 means "outcome unknown".
  t.equal((await app.inject(`/v1/sessions/${doomed.id}`)).statusCode, 404, 'the DELETE that timed out was applied after all')
})

t.test('requests that arrive while others wait on a stalled Redis still answer within the bound', async (t) => {
  const { app, redis } = await stage(t)
  const session = await createSession(app)
  process.kill(redis.server.pid, 'SIGSTOP')
  // Each request arrives while the previous ones are still waiting for Redis.
  const staggered = [0, 100, 200].map(async (delay) => {
    await sleep(delay)
    return await timed(app, { url: `/v1/sessions/${session.id}` })
  })
  for (const { response, elapsed } of await Promise.all(staggered)) {
    t.equal(response.statusCode, 503)
    t.ok(elapsed <= BOUND_MS, `answered in ${elapsed} ms (bound ${BOUND_MS} ms)`)
  }
})

t.test('a stopped Redis: ready 503 within 2 s, live 200, fast 503s; a new redis-server on the same port: ready within 5 s', async (t) => {
  const { app, redis } = await stage(t)
  const session = await createSession(app)
  await redis.server.stop()
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
  await redis.restart()
  const readyAfter = await untilStatus(app, '/health/ready', 200, 5000)
  t.ok(readyAfter <= 5000, `ready again after ${readyAfter} ms`)
  t.equal((await app.inject(`/v1/sessions/${session.id}`)).statusCode, 200, 'and the session survived (AOF)')
})

t.test('no acknowledged write is lost across a clean Redis restart', async (t) => {
  const { app, redis } = await stage(t)
  const created = []
  for (let i = 0; i < 20; i++) created.push(await createSession(app, { user_id: `aof-${i}`, metadata: { i } }))
  await redis.server.stop() // SIGTERM: redis fsyncs its AOF before exiting
  await redis.restart()
  await untilStatus(app, '/health/ready', 200, 5000)
  await assertStored(t, app, created)
})

t.test('a write acknowledged more than a second before Redis is killed survives (appendfsync everysec)', async (t) => {
  const { app, redis } = await stage(t)
  const created = []
  for (let i = 0; i < 5; i++) created.push(await createSession(app, { user_id: `crash-${i}` }))
  await sleep(1500)
  process.kill(redis.server.pid, 'SIGKILL')
  await untilStatus(app, '/health/ready', 503, 2000)
  await redis.restart()
  await untilStatus(app, '/health/ready', 200, 5000)
  await assertStored(t, app, created)
})

t.test('a Redis slow on every command: requests of many commands still answer within the command timeout + 250 ms', async (t) => {
  const timeoutMs = 500
  const bound = timeoutMs + 250
  const redis = await privateRedis(t, { extraArgs: ['--enable-debug-command', 'yes'] })
  const app = await buildApp(loadConfig({ REDIS_URL: redis.server.url, REDIS_COMMAND_TIMEOUT_MS: String(timeoutMs), LOG_LEVEL: 'silent' }))
  await app.ready()
  t.teardown(() => app.close())
  const sessions = []
  for (let i = 0; i < 3; i++) sessions.push(await createSession(app, { user_id: 'slow-user' }))
  const slow = slowDown(redis.server.url, 450)
  t.teardown(slow.stop)
  await sleep(100)
  const requests: InjectOptions[] = [
    { method: 'POST', url: '/v1/sessions', payload: { user_id: 'slow-user' }, headers: { 'idempotency-key': 'slow-create' } },
    { method: 'POST', url: `/v1/sessions/${sessions[0]!.id}/messages`, payload: { role: 'user', content: 'hi' }, headers: { 'idempotency-key': 'slow-message' } },
    { method: 'PATCH', url: `/v1/sessions/${sessions[1]!.id}`, payload: { metadata: { a: 1 } } },
    { method: 'DELETE', url: `/v1/sessions/${sessions[2]!.id}` },
    { method: 'GET', url: '/v1/users/slow-user/sessions' },
    { method: 'DELETE', url: '/v1/users/slow-user/sessions' },
    { method: 'GET', url: `/v1/sessions/${sessions[0]!.id}` }
  ]
  for (const request of requests) {
    const { response, elapsed } = await timed(app, request)
    t.ok(elapsed <= bound, `${request.method} ${request.url}: ${response.statusCode} in ${elapsed} ms (bound ${bound} ms)`)
    // 404: the erasure before it may have gone through.
    t.ok(response.statusCode < 300 || response.statusCode === 404 || response.statusCode === 503, `${response.statusCode}: an answer or 503, never a 500`)
    if (response.statusCode === 503) t.match(response.json(), { code: 'redis_unavailable' })
  }
  await slow.stop()
  const retried = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'slow-user' }, headers: { 'idempotency-key': 'slow-create' } })
  t.equal(retried.statusCode, 201, 'a create retried with its key once Redis is quick again succeeds')
  const listed = (await app.inject('/v1/users/slow-user/sessions')).json().sessions.map((s: { id: string }) => s.id)
  t.equal(listed.filter((id: string) => id === retried.json().id).length, 1, 'and exists once')
})

t.test('started while Redis is down: live 200, ready 503, API 503 at once; ready by itself once Redis appears', async (t) => {
  const port = await freePort()
  const app = await buildApp(loadConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: 'silent' }))
  await app.ready()
  t.teardown(() => app.close())
  t.equal((await app.inject('/health/live')).statusCode, 200)
  t.equal((await app.inject('/health/ready')).statusCode, 503)
  const { response, elapsed } = await timed(app, { method: 'POST', url: '/v1/sessions', payload: { user_id: 'early' } })
  t.equal(response.statusCode, 503)
  t.match(response.json(), { code: 'redis_unavailable' })
  t.ok(elapsed <= BOUND_MS, `answered in ${elapsed} ms`)
  const dataDir = tempDir(t, 'late-redis')
  const redis = await startEmbeddedRedis({ dataDir, appendOnly: false, port })
  t.teardown(() => redis.stop())
  const readyAfter = await untilStatus(app, '/health/ready', 200, 5000)
  t.ok(readyAfter <= 3000, `ready ${readyAfter} ms after Redis started`)
  t.equal((await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'early' } })).statusCode, 201)
})
