// The repositories routes reach data through (src/repositories/index.ts). Routes never see ioredis.
// Work batched in the background (audit entries, rate-limit counts, daily stats) is flushed when the app closes.
import fp from 'fastify-plugin'
import { Counter } from 'prom-client'
import { createRepositories, closeRepositories, type Repositories } from '../src/repositories/index.js'
import { isRedisUnavailable, unavailableCause } from '../src/redis/unavailable.js'

/** While audit appends keep failing (Redis down), say so once a minute, not at every 100 ms retry. */
const AUDIT_FAILURE_REMINDER_MS = 60_000

declare module 'fastify' {
  interface FastifyInstance { repos: Repositories }
}

export default fp(async function repositories (fastify) {
  const { log, metrics } = fastify
  const registers = [metrics.registry]
  const cacheRequests = new Counter({ name: 'sessiond_cache_requests_total', help: 'Session reads through the read cache, by result', labelNames: ['result'], registers })
  const cacheEvictions = new Counter({ name: 'sessiond_cache_evictions_total', help: 'Sessions the read cache dropped to stay within CACHE_MAX_ENTRIES', registers })
  const cacheInvalidations = new Counter({ name: 'sessiond_cache_invalidations_total', help: 'Cached sessions dropped because a change was announced', registers })
  let auditFailureLoggedAt = -Infinity
  const repos = createRepositories(fastify.redis, fastify.config, {
    auditFailed: (err, dropped) => {
      const now = Date.now()
      if (dropped > 0) log.error({ ...unavailableCause(err), dropped }, 'audit entries dropped: the queue is full while Redis is unreachable')
      if (now - auditFailureLoggedAt < AUDIT_FAILURE_REMINDER_MS) return
      auditFailureLoggedAt = now
      // Redis unreachable is expected to pass (warn); anything else is a bug (error).
      if (isRedisUnavailable(err.cause ?? err)) log.warn(unavailableCause(err), 'could not append audit entries; keeping them for the next attempt')
      else log.error({ err: { message: err.message } }, 'could not append audit entries; keeping them for the next attempt')
    },
    rateLimiterFailed: (err) => log.warn({ err: { message: err.message } }, 'rate limiter cannot reach Redis: limiting each instance on its own counts'),
    rateLimiterRecovered: () => log.info('rate limiter reaches Redis again'),
    statsFailed: (err) => log.warn({ err: { message: err.message } }, 'could not add to the daily stats; keeping the counts for the next attempt'),
    cache: {
      hit: () => cacheRequests.inc({ result: 'hit' }),
      miss: () => cacheRequests.inc({ result: 'miss' }),
      eviction: () => cacheEvictions.inc(),
      invalidation: () => cacheInvalidations.inc()
    }
  }, fastify.changes)
  fastify.decorate('repos', repos)
  fastify.addHook('onClose', async () => {
    await closeRepositories(repos).catch((err: Error) => log.error({ err: { message: err.message } }, 'audit entries lost at shutdown'))
  })
}, { name: 'repositories', dependencies: ['redis', 'metrics', 'changes'] })
