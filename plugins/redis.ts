// Owns the Redis connection: connects and pings before the app reports ready, keeps the connection
// gauge current, and quits on close. Decorates `redis` (the store every repository uses).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createRedisClient, topologyOf, type RedisClient } from '../src/redis/client.js'
import { createKeys } from '../src/redis/keys.js'
import { RedisStore, type RedisObserver } from '../src/redis/store.js'
import { withDeadline } from '../src/deadline.js'

declare module 'fastify' {
  interface FastifyInstance { redis: RedisStore }
}

export interface RedisPluginOptions {
  /** Use this client instead of creating one (it is still connected, and quit on close). */
  client?: RedisClient
  /** false: do not connect (generating the OpenAPI document needs routes, not Redis). */
  connect?: boolean
}

async function connectAndPing (client: RedisClient, timeoutMs: number): Promise<void> {
  await withDeadline(timeoutMs, (async () => {
    if (client.status === 'wait') await client.connect()
    await client.ping()
  })(), 'connect and PING')
}

/** Every Redis operation is measured for metrics, and traced when tracing is on; when it is off, metrics alone. */
function redisObserver ({ metrics, tracing }: FastifyInstance): RedisObserver {
  if (tracing === null) return metrics.observeRedis
  return (operation, seconds, failed) => {
    metrics.observeRedis(operation, seconds, failed)
    tracing.observeRedis(operation, seconds, failed)
  }
}

export default fp<RedisPluginOptions>(async function redis (fastify, options) {
  const { config } = fastify
  const client = options.client ?? createRedisClient(config.redis)
  const store = new RedisStore(client, createKeys(config.keys), redisObserver(fastify))
  fastify.decorate('redis', store)

  client.on('ready', () => fastify.metrics.redisConnectionUp.set(1))
  client.on('close', () => fastify.metrics.redisConnectionUp.set(0))
  client.on('error', (err: Error) => fastify.log.warn({ err: { message: err.message } }, 'redis connection error'))

  fastify.addHook('onClose', async () => {
    await client.quit().catch(() => client.disconnect())
  })

  if (options.connect === false) return
  try {
    await connectAndPing(client, config.redis.connectTimeoutMs)
  } catch (err) {
    client.disconnect()
    throw new Error(`cannot reach Redis (${topologyOf(client)}): ${(err as Error).message}`)
  }
  fastify.metrics.redisConnectionUp.set(1)
}, { name: 'redis', dependencies: ['config', 'metrics', 'tracing'] })
