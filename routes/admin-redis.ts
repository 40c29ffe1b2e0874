// GET /v1/admin/health/redis (contract §9): diagnostics of every Redis server that holds sessions, and
// the warnings that name settings which lose sessions (registered in the admin scope).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JsonResponse } from '../schemas/common.js'
import { RedisHealth } from '../schemas/admin.js'
import { histogramQuantile, type CommandLatency } from '../src/domain/redis-health.js'
import { problems } from '../src/errors.js'

const REDIS_HISTOGRAM = 'sessiond_redis_command_duration_seconds'

const redisHealth: FastifyPluginAsyncTypebox = async (fastify) => {
  /** p50 and p99 of every Redis operation this instance made since it started, from its own histogram. */
  async function commandLatency (): Promise<CommandLatency> {
    const metric = fastify.metrics.registry.getSingleMetric(REDIS_HISTOGRAM)
    type Value = { metricName?: string, labels: Record<string, string | number | undefined>, value: number }
    const values = metric === undefined ? [] : (await metric.get()).values as Value[]
    const byBound = new Map<number, number>()
    for (const { metricName, labels, value } of values) {
      if (metricName !== `${REDIS_HISTOGRAM}_bucket`) continue
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le)
      byBound.set(le, (byBound.get(le) ?? 0) + value)
    }
    const buckets = [...byBound].map(([le, count]) => ({ le, count }))
    const ms = (q: number): number | null => {
      const seconds = histogramQuantile(q, buckets)
      return seconds === null ? null : Math.round(seconds * 1e6) / 1e3
    }
    return { p50: ms(0.5), p99: ms(0.99), samples: byBound.get(Number.POSITIVE_INFINITY) ?? 0, source: `${REDIS_HISTOGRAM} of this instance since it started` }
  }

  fastify.get('/health/redis', {
    schema: {
      operationId: 'getRedisHealth',
      summary: 'Redis diagnostics: server, memory, persistence, keyspace, connection, latency and warnings',
      description: 'Reads INFO (and the RDB schedule and cluster state) of every server that holds sessions: the one server, the Sentinel-found primary, or every master of a Cluster (`nodes`). ' +
        '`warnings` names settings that lose sessions: an eviction policy that deletes keys with a TTL (allkeys-*, volatile-*), no persistence, a Redis older than 6.2, a failing cluster state. ' +
        'Command latency is this instance\'s own histogram of Redis operations. `npx sessiond doctor` runs the same checks. Admin API keys only.',
      tags: ['admin'],
      response: {
        200: JsonResponse('Diagnostics of the Redis behind sessiond', RedisHealth),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async () => await fastify.repos.diagnostics.report(await commandLatency()))
}

export default redisHealth
