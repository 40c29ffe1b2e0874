// Prometheus metrics on a private registry (never the global one), served at /metrics.
// Label values are route templates, status classes and operation names: never ids.
import fp from 'fastify-plugin'
import { Registry, collectDefaultMetrics, Histogram, Counter, Gauge } from 'prom-client'
import type { RedisObserver } from '../src/redis/store.js'

export interface Metrics {
  registry: Registry
  observeRedis: RedisObserver
  redisConnectionUp: Gauge
  sessionsCreated: Counter
  sessionsFinalized: Counter
  sessionsExpired: Counter
}

declare module 'fastify' {
  interface FastifyInstance { metrics: Metrics }
}

export default fp(async function metrics (fastify) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry]
  })
  const redisDuration = new Histogram({
    name: 'redis_command_duration_seconds',
    help: 'Duration of Redis operations (commands and Lua scripts) by operation',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry]
  })
  const redisErrors = new Counter({
    name: 'redis_command_errors_total', help: 'Failed Redis operations by operation', labelNames: ['operation'], registers: [registry]
  })
  const counter = (name: string, help: string): Counter => new Counter({ name, help, registers: [registry] })

  const decorated: Metrics = {
    registry,
    observeRedis: (operation, seconds, failed) => {
      redisDuration.observe({ operation }, seconds)
      if (failed) redisErrors.inc({ operation })
    },
    redisConnectionUp: new Gauge({ name: 'redis_connection_up', help: '1 while the Redis connection is ready', registers: [registry] }),
    sessionsCreated: counter('sessions_created_total', 'Sessions created'),
    sessionsFinalized: counter('sessions_finalized_total', 'Sessions finalized'),
    sessionsExpired: counter('sessions_expired_total', 'Sessions seen to expire')
  }
  fastify.decorate('metrics', decorated)

  fastify.addHook('onResponse', function observeRequest (request, reply, done) {
    const route = request.routeOptions.url
    if (route !== '/metrics') {
      http.observe({
        method: request.method,
        route: route ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`
      }, reply.elapsedTime / 1000)
    }
    done()
  })

  fastify.get('/metrics', {
    schema: {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description: 'Process and Node metrics, HTTP request durations by route template, Redis command latency and errors, connection state, and session counters, in the Prometheus text format. No session or user ids in label values.',
      tags: ['operations'],
      security: [],
      produces: ['text/plain'],
      response: { 200: { type: 'string', description: 'Prometheus text exposition format' } }
    }
  }, async (_request, reply) => {
    reply.type(registry.contentType)
    return await registry.metrics()
  })
}, { name: 'metrics' })
