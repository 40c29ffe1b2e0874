// Tracing off costs nothing: no OpenTelemetry module is loaded and no hook is added. A file of its own,
// so that nothing else in this process has loaded OpenTelemetry (the test itself imports none of it).
import t from 'tap'
import { createRequire } from 'node:module'
import { buildTestApp } from '../helper.js'

/**
 * The OpenTelemetry modules this process has loaded (the SDK packages are CommonJS), leaving out the API
 * package: prom-client loads it whatever we do (for exemplars, which the metrics do not use).
 */
const openTelemetryLoaded = (): string[] => Object.keys(createRequire(import.meta.url).cache)
  .filter((path) => path.includes('/node_modules/@opentelemetry/') && !path.includes('/node_modules/@opentelemetry/api/'))

const TRACING_HOOKS = ['startTrace', 'resumeTrace', 'endTrace']

t.test('without an OTLP endpoint nothing of OpenTelemetry is loaded and no tracing hook runs on a request', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject('/health/live')).statusCode, 200)
  t.equal(app.tracing, null)
  t.same(openTelemetryLoaded(), [])
  const routes = app.printRoutes({ includeHooks: true })
  for (const hook of TRACING_HOOKS) t.notMatch(routes, hook)
})

// The control: the same checks see tracing when it is on (this must come second in this file).
t.test('with OTEL_EXPORTER_OTLP_ENDPOINT the tracing hooks run on every route and OpenTelemetry is loaded', async (t) => {
  const { app } = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })
  t.not(app.tracing, null)
  t.ok(openTelemetryLoaded().length > 0)
  const routes = app.printRoutes({ includeHooks: true })
  for (const hook of TRACING_HOOKS) t.match(routes, hook)
})
