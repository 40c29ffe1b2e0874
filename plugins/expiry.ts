// The expiry sweep of this instance (src/repositories/expiry-sweeper.ts), from ready to close: counts
// each expiry in sessiond_sessions_expired_total and the daily stats, and reports how late the sweep
// claims what is due.
import fp from 'fastify-plugin'
import { Gauge } from 'prom-client'
import { ExpirySweeper } from '../src/repositories/expiry-sweeper.js'
import { UserIndex } from '../src/repositories/user-index.js'
import { MIN_TTL_SECONDS } from '../schemas/session.js'

declare module 'fastify' {
  interface FastifyInstance { expirySweeper: ExpirySweeper }
}

export default fp(async function expiry (fastify) {
  const { config, metrics, log, repos } = fastify
  const lag = new Gauge({
    name: 'sessiond_expiry_sweep_lag_seconds',
    help: 'How late, after its expires_at, the last sweep of this instance claimed the latest expired session',
    registers: [metrics.registry]
  })
  const { sessionTtlSeconds, onboardingTtlSeconds, finalizedRetentionSeconds } = config.sessions
  const sweeper = new ExpirySweeper(fastify.redis, new UserIndex(fastify.redis), {
    intervalMs: config.events.sweepIntervalMs,
    // A session filed now cannot be due sooner than the shortest TTL or retention it can get.
    horizonMs: 1000 * Math.min(60, MIN_TTL_SECONDS, sessionTtlSeconds, onboardingTtlSeconds, finalizedRetentionSeconds),
    onExpired: () => {
      metrics.sessionsExpired.inc()
      repos.statsRecorder.record('expired')
    },
    onSwept: (report) => { if (report.expired > 0) lag.set(report.lagMs / 1000) },
    onError: (err) => log.warn({ err: { message: err.message } }, 'expiry sweep failed; the next one retries')
  })
  fastify.decorate('expirySweeper', sweeper)
  fastify.addHook('onReady', async () => { sweeper.start() })
  fastify.addHook('preClose', async () => { await sweeper.stop() })
}, { name: 'expiry', dependencies: ['redis', 'metrics', 'repositories'] })
