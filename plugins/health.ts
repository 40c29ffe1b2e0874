// Liveness (the process can serve; never depends on Redis), readiness (Redis answers a PING within
// 250 ms and we are not shutting down) and a JSON health summary.
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { SERVICE_VERSION as version } from '../src/version.js'
import { withDeadline } from '../src/deadline.js'
import { topologyOf } from '../src/redis/client.js'

const READY_PING_MS = 250

declare module 'fastify' {
  interface FastifyInstance { lifecycle: { shuttingDown: boolean } }
}

const Status = Type.Object({ status: Type.String(), reason: Type.Optional(Type.String()) })
const Health = Type.Object({
  status: Type.String({ enum: ['ok', 'degraded', 'shutting_down'] }),
  version: Type.String(),
  uptime_s: Type.Number(),
  redis: Type.Object({
    status: Type.String({ enum: ['up', 'down'] }),
    mode: Type.String({ enum: ['standalone', 'cluster', 'sentinel'] }),
    latency_ms: Type.Union([Type.Number(), Type.Null()]),
    version: Type.Union([Type.String(), Type.Null()])
  })
})

export default fp(async function health (fastify) {
  const lifecycle = { shuttingDown: false }
  fastify.decorate('lifecycle', lifecycle)
  fastify.addHook('preClose', async () => { lifecycle.shuttingDown = true })
  // While draining, every response closes its connection: an idle keep-alive connection would otherwise
  // hold close() open until keepAliveTimeout (72 s), far past SHUTDOWN_GRACE_MS.
  fastify.addHook('onSend', function closeWhileDraining (_request, reply, payload, done) {
    if (lifecycle.shuttingDown) reply.header('connection', 'close')
    done(null, payload)
  })

  const client = fastify.redis.client
  let redisVersion: string | null = null

  /** PING latency in ms, or null when Redis does not answer in time. */
  async function ping (timeoutMs: number): Promise<number | null> {
    if (client.status !== 'ready') return null
    const started = performance.now()
    const answered = await withDeadline(timeoutMs, client.ping(), 'PING').then(() => true, () => false)
    return answered ? Math.round((performance.now() - started) * 100) / 100 : null
  }

  async function serverVersion (): Promise<string | null> {
    if (redisVersion !== null) return redisVersion
    try {
      const info = await fastify.redis.call('info', async (c) => await c.info('server'))
      redisVersion = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? null
    } catch { /* unknown while down */ }
    return redisVersion
  }

  // Probes need no credentials (security: []).
  const tags = ['operations']
  fastify.get('/health/live', {
    schema: {
      operationId: 'getLiveness',
      summary: 'Liveness: the process can serve',
      description: 'Answers 200 while the process can serve requests, whatever the state of Redis: a Kubernetes liveness probe.',
      tags,
      security: [],
      response: { 200: { ...Status, description: 'The process is alive' } }
    }
  }, async () => ({ status: 'ok' }))

  fastify.get('/health/ready', {
    schema: {
      operationId: 'getReadiness',
      summary: 'Readiness: Redis answers and the process is not shutting down',
      description: 'Answers 200 when Redis answers a PING within 250 ms and the process is not shutting down, else 503 with the reason: a Kubernetes readiness probe.',
      tags,
      security: [],
      response: { 200: { ...Status, description: 'Ready to serve' }, 503: { ...Status, description: 'Not ready: Redis does not answer, or the process is shutting down' } }
    }
  }, async (_request, reply) => {
    if (lifecycle.shuttingDown) return await reply.code(503).send({ status: 'not_ready', reason: 'shutting down' })
    const latency = await ping(READY_PING_MS)
    if (latency === null) return await reply.code(503).send({ status: 'not_ready', reason: 'redis unavailable' })
    return { status: 'ready' }
  })

  fastify.get('/health', {
    schema: {
      operationId: 'getHealth',
      summary: 'Health summary: version, uptime and Redis',
      description: 'The service version and uptime, and the Redis connection: status, topology, PING latency and server version. 503 while Redis is down or the process is shutting down.',
      tags,
      security: [],
      response: { 200: { ...Health, description: 'Healthy' }, 503: { ...Health, description: 'Degraded (Redis down) or shutting down' } }
    }
  }, async (_request, reply) => {
    const latency = await ping(READY_PING_MS)
    const body = {
      status: lifecycle.shuttingDown ? 'shutting_down' : latency === null ? 'degraded' : 'ok',
      version,
      uptime_s: Math.round(process.uptime()),
      redis: {
        status: latency === null ? 'down' : 'up',
        mode: topologyOf(client),
        latency_ms: latency,
        version: latency === null ? redisVersion : await serverVersion()
      }
    }
    return await reply.code(body.status === 'ok' ? 200 : 503).send(body)
  })
}, { name: 'health', dependencies: ['redis'] })
