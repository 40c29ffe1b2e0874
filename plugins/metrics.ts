// Prometheus metrics on a private registry (never the global one), served at /metrics.
// The service's own metrics carry the `sessiond_` prefix; process and Node defaults keep their standard names.
// Label values are route templates, status codes and operation names: never ids.
import fp from 'fastify-plugin'
import { Registry, collectDefaultMetrics, Counter, Gauge } from 'prom-client'
import type { RedisObserver } from '../src/redis/store.js'
import { KeyedCounter, KeyedHistogram, type CounterSeries, type HistogramSeries } from '../src/metric-series.js'
import { SERVICE_VERSION } from '../src/version.js'

/** HTTP requests take ~0.3–5 ms here; the buckets resolve that range and reach the slow tail (docs/decisions/0500). */
export const HTTP_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
/** Redis scripts take ~0.05–2 ms; the top bucket is the default REDIS_COMMAND_TIMEOUT_MS. */
export const REDIS_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

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

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx']

/** Labels of a Redis operation's series: no closure made per Redis call. */
const operationLabels = (operation: string): { operation: string } => ({ operation })

export default fp(async function metrics (fastify) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  new Gauge({
    name: 'sessiond_build_info',
    help: 'Always 1; the labels say which build of sessiond runs on which Node.js',
    labelNames: ['version', 'node_version'],
    registers
  }).set({ version: SERVICE_VERSION, node_version: process.version }, 1)

  // The three metrics every request feeds are keyed series (src/metric-series.ts, docs/decisions/0727).
  const http = new KeyedHistogram({
    name: 'sessiond_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status class',
    buckets: HTTP_BUCKETS,
    registers
  })
  // The status class hides 429 and 503, which the alert rules watch: exact codes, counted apart.
  const responses = new KeyedCounter({
    name: 'sessiond_http_responses_total',
    help: 'HTTP responses by method, route template and status code',
    registers
  })
  const redisDuration = new KeyedHistogram({
    name: 'sessiond_redis_command_duration_seconds',
    help: 'Duration of Redis operations (commands and Lua scripts) by operation',
    buckets: REDIS_BUCKETS,
    registers
  })
  const redisErrors = new Counter({
    name: 'sessiond_redis_command_errors_total', help: 'Failed Redis operations by operation', labelNames: ['operation'], registers
  })
  const counter = (name: string, help: string): Counter => new Counter({ name, help, registers })

  const decorated: Metrics = {
    registry,
    observeRedis: (operation, seconds, failed) => {
      redisDuration.of(operation, operationLabels).observe(seconds)
      if (failed) redisErrors.inc({ operation })
    },
    redisConnectionUp: new Gauge({ name: 'sessiond_redis_connection_up', help: '1 while the Redis connection is ready', registers }),
    sessionsCreated: counter('sessiond_sessions_created_total', 'Sessions created'),
    sessionsFinalized: counter('sessiond_sessions_finalized_total', 'Sessions finalized'),
    sessionsExpired: counter('sessiond_sessions_expired_total', 'Sessions seen to expire')
  }
  fastify.decorate('metrics', decorated)

  // One entry per method, status and route template seen: both series of a response in one lookup.
  const byResponse = new Map<string, { duration: HistogramSeries, count: CounterSeries }>()
  const seriesOf = (method: string, route: string, status: number): { duration: HistogramSeries, count: CounterSeries } => {
    const key = `${method} ${status} ${route}`
    let found = byResponse.get(key)
    if (found === undefined) {
      const statusClass = STATUS_CLASSES[Math.floor(status / 100)] ?? 'other'
      found = {
        duration: http.of(`${method} ${statusClass} ${route}`, () => ({ method, route, status_class: statusClass })),
        count: responses.of(key, () => ({ method, route, status_code: status }))
      }
      byResponse.set(key, found)
    }
    return found
  }

  fastify.addHook('onResponse', function observeRequest (request, reply, done) {
    const route = request.routeOptions.url
    if (route !== '/metrics') {
      const series = seriesOf(request.method, route ?? 'unmatched', reply.statusCode)
      series.duration.observe(reply.elapsedTime / 1000)
      series.count.inc()
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
