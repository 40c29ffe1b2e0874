// The redis plugin with its declared dependencies (config, metrics) on a bare Fastify.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { createServer, type Server, type Socket } from 'node:net'
import { once } from 'node:events'
import { Redis } from 'ioredis'
import configPlugin from '../../plugins/config.js'
import metrics from '../../plugins/metrics.js'
import tracing from '../../plugins/tracing.js'
import redis, { type RedisPluginOptions } from '../../plugins/redis.js'
import { loadConfig } from '../../src/config.js'
import { createRedisClient } from '../../src/redis/client.js'
import { freePort, sleep, testRedis, type Tap } from '../helper.js'

// Returned in an object: a Fastify instance is a thenable, and returning it from an async function would boot it.
async function bareApp (t: Tap, env: Record<string, string>, options: RedisPluginOptions = {}): Promise<{ app: FastifyInstance }> {
  const app = Fastify()
  await app.register(configPlugin, { config: loadConfig({ LOG_LEVEL: 'silent', ...env }) })
  await app.register(metrics)
  await app.register(tracing)
  // Not awaited: a failure to reach Redis surfaces from app.ready(), as it does when the app boots.
  void app.register(redis, options)
  t.teardown(async () => { await app.close().catch(() => {}) }) // an app that failed to boot rejects close() too
  return { app }
}

/** A loopback TCP server that counts connections and holds them without a word (a hung Redis). */
async function tcpServer (t: Tap, port = 0): Promise<{ port: number, connections: () => number }> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.teardown(() => { for (const s of sockets) s.destroy(); server.close() })
  return { port: (server.address() as { port: number }).port, connections: () => connections }
}

const LONGER_THAN_RECONNECT_CAP_MS = 1200

t.test('the app is ready once Redis answers, and the store works', async (t) => {
  const server = await testRedis()
  const { app } = await bareApp(t, { REDIS_URL: server.url })
  await app.ready()
  t.equal(app.redis.client.status, 'ready')
  t.equal(await app.redis.call('ping', async (c) => await c.ping()), 'PONG')
  t.match((await app.inject('/metrics')).body, 'sessiond_redis_connection_up 1')
})

t.test('started against a closed port, the app is ready at once, answers 503, and connects by itself when Redis appears', async (t) => {
  const port = await freePort()
  const { app } = await bareApp(t, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_CONNECT_TIMEOUT_MS: '500' })
  const started = Date.now()
  await app.ready()
  t.ok(Date.now() - started < 500, `ready after ${Date.now() - started} ms, without waiting out the connect timeout`)
  await t.rejects(app.redis.call('ping', async (c) => await c.ping()), { code: 'redis_unavailable' })
  t.match((await app.inject('/metrics')).body, 'sessiond_redis_connection_up 0')
  const late = await tcpServer(t, port)
  await sleep(LONGER_THAN_RECONNECT_CAP_MS)
  t.ok(late.connections() >= 1, 'the client keeps trying in the background')
})

t.test('a Redis that accepts the connection but never answers holds the start for REDIS_CONNECT_TIMEOUT_MS at most', async (t) => {
  const silent = await tcpServer(t)
  const { app } = await bareApp(t, { REDIS_URL: `redis://127.0.0.1:${silent.port}`, REDIS_CONNECT_TIMEOUT_MS: '400' })
  const started = Date.now()
  await app.ready()
  const elapsed = Date.now() - started
  t.ok(elapsed >= 400 - 50 && elapsed < 400 + 250, `ready after ${elapsed} ms`)
  await t.rejects(app.redis.call('ping', async (c) => await c.ping()), { code: 'redis_unavailable' })
})

t.test('closing the app quits the Redis connection', async (t) => {
  const server = await testRedis()
  const config = loadConfig({ REDIS_URL: server.url })
  const client = createRedisClient(config.redis)
  const { app } = await bareApp(t, { REDIS_URL: server.url }, { client })
  await app.ready()
  await client.client('SETNAME', 'redis-plugin-close-test')
  const observer = new Redis(server.url)
  t.teardown(() => observer.disconnect())
  const named = async (): Promise<boolean> => String(await observer.client('LIST')).includes('name=redis-plugin-close-test')
  t.ok(await named(), 'connected while the app runs')
  await app.close()
  if (client.status !== 'end') await once(client, 'end')
  t.notOk(await named(), 'the server no longer lists the connection')
})

t.test('connect: false registers the store without touching Redis (OpenAPI generation)', async (t) => {
  const config = loadConfig({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` })
  const client = createRedisClient(config.redis)
  const { app } = await bareApp(t, { REDIS_URL: config.redis.url! }, { client, connect: false })
  await app.ready()
  t.equal(client.status, 'wait', 'never connected')
  t.ok(app.redis.keys.session('x'))
})
