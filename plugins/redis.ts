// Owns the Redis connection: starts it, keeps the connection gauge current, logs outages once (not every
// reconnect attempt), and quits on close. Decorates `redis` (the store every repository uses).
// The app never waits for Redis to exist (docs/decisions/0405): a process started while Redis is down
// or failing over stays up — /health/live 200, /health/ready 503, the API 503 redis_unavailable — and
// becomes ready by itself when Redis answers. Start-up waits for the first attempt only, at most
// REDIS_CONNECT_TIMEOUT_MS, so that a healthy start is ready at once.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import { createRedisClient, pendingCommands, topologyOf, type RedisClient } from '../src/redis/client.js'
import { createKeys } from '../src/redis/keys.js'
import { RedisStore, type RedisObserver } from '../src/redis/store.js'
import { withDeadline } from '../src/deadline.js'
import { unavailableCause } from '../src/redis/unavailable.js'

declare module 'fastify' {
  interface FastifyInstance { redis: RedisStore }
}

export interface RedisPluginOptions {
  /** Use this client instead of creating one (it is still connected, and quit on close). */
  client?: RedisClient
  /** false: do not connect (generating the OpenAPI document needs routes, not Redis). */
  connect?: boolean
}

/** While Redis stays unreachable, the outage is logged again this often (not on every reconnect attempt). */
const OUTAGE_REMINDER_MS = 60_000

/** The first connection attempt: undefined when Redis answered a PING, else why not. */
async function firstAttempt (client: RedisClient, timeoutMs: number): Promise<Error | undefined> {
  const attempt = (async () => {
    if (client.status === 'wait') await client.connect()
    await client.ping()
  })()
  attempt.catch(() => {}) // it may settle after the deadline; the client keeps reconnecting either way
  try {
    await withDeadline(timeoutMs, attempt, 'connect and PING')
    return undefined
  } catch (err) {
    return err as Error
  }
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
  const { config, log } = fastify
  const client = options.client ?? createRedisClient(config.redis)
  const store = new RedisStore(client, createKeys(config.keys), redisObserver(fastify))
  fastify.decorate('redis', store)
  const topology = topologyOf(client)
  new Gauge({
    name: 'sessiond_redis_pending_commands',
    help: 'Redis commands sent and not answered yet (timed-out ones until Redis answers them)',
    registers: [fastify.metrics.registry],
    collect () { this.set(pendingCommands(client)) }
  })

  // Outages are logged when they start, every OUTAGE_REMINDER_MS while they last, and when they end.
  let downSince: number | undefined
  let remindedAt = 0
  let closing = false
  client.on('ready', () => {
    fastify.metrics.redisConnectionUp.set(1)
    if (downSince !== undefined) log.info({ topology, down_ms: Date.now() - downSince }, 'redis connection ready again')
    downSince = undefined
  })
  client.on('close', () => fastify.metrics.redisConnectionUp.set(0))
  client.on('error', (err: Error) => {
    if (closing) return
    const now = Date.now()
    if (downSince === undefined) {
      downSince = now
      remindedAt = now
      log.warn({ topology, ...unavailableCause(err) }, 'redis connection error: answering 503 until it is back')
    } else if (now - remindedAt >= OUTAGE_REMINDER_MS) {
      remindedAt = now
      log.warn({ topology, down_ms: now - downSince, ...unavailableCause(err) }, 'redis still unreachable')
    }
  })

  fastify.addHook('onClose', async () => {
    closing = true
    await client.quit().catch(() => client.disconnect())
  })

  if (options.connect === false) return
  const failed = await firstAttempt(client, config.redis.connectTimeoutMs)
  if (failed === undefined) {
    fastify.metrics.redisConnectionUp.set(1)
    return
  }
  downSince ??= Date.now()
  log.warn({ topology, ...unavailableCause(failed) },
    'redis not reachable at start: serving (liveness 200, readiness and the API 503) and connecting in the background')
}, { name: 'redis', dependencies: ['config', 'metrics', 'tracing'] })
