// The alert rules and the dashboard name only metrics the service exports (scraped from the app
// itself), or metrics listed in deploy/prometheus/pending-metrics.txt until a later step adds them.
import t from 'tap'
import { buildTestApp, createSession } from '../helper.js'
import {
  dashboardQueries, dashboardVariableSelectors, exportedFamilies, exportedNames, metricNames, pendingMetrics,
  PROMETHEUS_SERIES, ruleQueries
} from '../../scripts/monitoring/queries.js'

async function scrape (t: Parameters<typeof buildTestApp>[0]): Promise<string> {
  const { app } = await buildTestApp(t)
  await createSession(app)
  return (await app.inject('/metrics')).body
}

t.test('metric names are read from PromQL, not labels, functions, keywords or strings', async (t) => {
  t.same(metricNames('sum by (le, route) (rate(a_bucket{route=~"/v1/.*", x="b_total"}[5m])) > 0.25 and on (job) b_total offset 1h'), ['a_bucket', 'b_total'])
  t.same(metricNames('x / ignoring (status_class) group_left sum(y) * 60 + 1e3'), ['x', 'y'])
  t.same(metricNames('histogram_quantile(0.99, sum by (le) (rate(z[$__rate_interval])))'), ['z'])
})

t.test('every metric the alert rules and the dashboard use is exported or pending', async (t) => {
  const exported = exportedNames(await scrape(t))
  const pending = new Set(pendingMetrics())
  const queries = [...ruleQueries(), ...dashboardQueries(), ...dashboardVariableSelectors()]
  t.ok(queries.length >= 30, `${queries.length} queries`)
  const used = new Set<string>()
  for (const { where, expr } of queries) {
    for (const name of metricNames(expr)) {
      used.add(name)
      t.ok(exported.has(name) || pending.has(name) || PROMETHEUS_SERIES.has(name), `${where}: ${name} is exported or pending`)
    }
  }
  for (const name of pending) t.ok(used.has(name), `pending ${name} is used somewhere (else drop its line)`)
})

t.test('a pending metric that the service now exports is taken off the pending list', async (t) => {
  const exported = exportedNames(await scrape(t))
  for (const name of pendingMetrics()) {
    t.notOk(exported.has(name), `${name} is still pending (exported now: delete its line in deploy/prometheus/pending-metrics.txt)`)
  }
})

t.test('the dashboard shows every metric the service exports under sessiond_', async (t) => {
  const families = exportedFamilies(await scrape(t)).filter((name) => name.startsWith('sessiond_'))
  const used = new Set([...dashboardQueries(), ...dashboardVariableSelectors()].flatMap(({ expr }) => metricNames(expr)))
  for (const family of families) {
    const shown = [family, `${family}_bucket`, `${family}_count`, `${family}_sum`].some((name) => used.has(name))
    t.ok(shown, `${family} has a panel`)
  }
})
