// sessiond_sessions_live{kind}: live sessions by kind, from the per-slot counters the session scripts
// keep (the same figure as GET /v1/admin/stats, summed at most a few seconds before). Every instance
// exports the same global figure: dashboards take max(), never sum().
import fp from 'fastify-plugin'
import { Gauge } from 'prom-client'
import { SESSION_KINDS } from '../schemas/session.js'

export default fp(async function liveSessionsMetric (fastify) {
  const { repos, metrics, log } = fastify
  let warned = false
  new Gauge({
    name: 'sessiond_sessions_live',
    help: 'Live sessions by kind, across the whole service (every instance exports the same figure: use max)',
    labelNames: ['kind'],
    registers: [metrics.registry],
    async collect () {
      try {
        const live = await repos.stats.liveForMetrics()
        for (const kind of SESSION_KINDS) this.set({ kind }, live.by_kind[kind] ?? 0)
        warned = false
      } catch (err) {
        // A scrape while Redis is down keeps the last figures; one warning per outage.
        if (!warned) log.warn({ err: { message: (err as Error).message } }, 'cannot read the live-session counters for sessiond_sessions_live')
        warned = true
      }
    }
  })
}, { name: 'live-sessions-metric', dependencies: ['metrics', 'repositories'] })
