// The health plugin with its dependency chain (config → metrics → redis) on a bare Fastify, against a
// private redis-server this file can pause and stop.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { readFileSync } from 'node:fs'
import configPlugin from '../../plugins/config.js'
import metrics from '../../plugins/metrics.js'
import tracing from '../../plugins/tracing.js'
import redis from '../../plugins/redis.js'
import health from '../../plugins/health.js'
import { loadConfig } from '../../src/config.js'
import { privateRedis, type Tap } from '../helper.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

async function bareApp (t: Tap, url: string): Promise<{ app: FastifyInstance }> {
  const app = Fastify()
  await app.register(configPlugin, { config: loadConfig({ REDIS_URL: url, REDIS_COMMAND_TIMEOUT_MS: '1000' }) })
  await app.register(metrics)
  await app.register(tracing)
  await app.register(redis)
  await app.register(health)
  await app.ready()
  t.teardown(() => app.close())
  return { app }
}

t.test('with Redis answering: live, ready and a health summary', async (t) => {
  const { server } = await privateRedis(t)
  const { app } = await bareApp(t, server.url)
  const live = await app.inject('/health/live')
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready' })
  const summary = await app.inject('/health')
  t.equal(summary.statusCode, 200)
  t.match(summary.json(), {
    status: 'ok',
    version,
    uptime_s: Number,
    redis: { status: 'up', mode: 'standalone', latency_ms: Number, version: /^\d+\.\d+\.\d+/ }
  })
  t.ok(summary.json().redis.latency_ms >= 0)
})

t.test('a paused Redis makes ready 503 within its 250 ms ping budget; live stays 200; resuming brings ready back', async (t) => {
  const { server } = await privateRedis(t)
  const { app } = await bareApp(t, server.url)
  process.kill(server.pid, 'SIGSTOP')
  const started = Date.now()
  const ready = await app.inject('/health/ready')
  const elapsed = Date.now() - started
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'not_ready', reason: 'redis unavailable' })
  t.ok(elapsed < 250 + 250, `answered after ${elapsed} ms`)
  t.equal((await app.inject('/health/live')).statusCode, 200)
  const summary = await app.inject('/health')
  t.equal(summary.statusCode, 503)
  t.match(summary.json(), { status: 'degraded', redis: { status: 'down', mode: 'standalone', latency_ms: null } })
  process.kill(server.pid, 'SIGCONT')
  t.equal((await app.inject('/health/ready')).statusCode, 200)
})

t.test('a stopped Redis makes ready 503 while live stays 200', async (t) => {
  const { server } = await privateRedis(t)
  const { app } = await bareApp(t, server.url)
  t.match((await app.inject('/health')).json().redis.version, /^\d+\./, 'the version is learned while up')
  await server.stop()
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'not_ready', reason: 'redis unavailable' })
  t.equal((await app.inject('/health/live')).statusCode, 200)
  const summary = await app.inject('/health')
  t.equal(summary.statusCode, 503)
  t.match(summary.json(), { status: 'degraded', redis: { status: 'down', latency_ms: null, version: /^\d+\./ } })
})
