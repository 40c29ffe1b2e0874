// The metrics plugin alone on a bare Fastify, then on the whole app for the label-value rule.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { register as globalRegistry } from 'prom-client'
import configPlugin from '../../plugins/config.js'
import metrics from '../../plugins/metrics.js'
import { loadConfig } from '../../src/config.js'
import { buildTestApp, createSession } from '../helper.js'

async function bareApp (t: { teardown: (fn: () => unknown) => void }): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(configPlugin, { config: loadConfig({}) })
  await app.register(metrics)
  app.get('/v1/sessions/:id', async () => ({ ok: true }))
  app.post('/v1/sessions/:id/fail', async () => { throw Object.assign(new Error('x'), { statusCode: 409 }) })
  t.teardown(() => app.close())
  return app
}

/** Every label value in a Prometheus text exposition. */
function labelValues (text: string): string[] {
  return [...text.matchAll(/[a-z_]+="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!)
}

t.test('/metrics serves the Prometheus text format with process and Node defaults', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject('/metrics')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
  for (const name of ['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes',
    'http_request_duration_seconds', 'redis_command_duration_seconds', 'redis_command_errors_total', 'redis_connection_up',
    'sessions_created_total', 'sessions_finalized_total', 'sessions_expired_total']) {
    t.match(response.body, `# TYPE ${name} `, `${name} is exposed`)
  }
})

t.test('the registry is private: two apps in one process, nothing in the global registry', async (t) => {
  const first = await bareApp(t)
  const second = await bareApp(t)
  await first.inject('/v1/sessions/a')
  t.match((await first.inject('/metrics')).body, /http_request_duration_seconds_count\{[^}]*route="\/v1\/sessions\/:id"[^}]*\} 1/)
  t.notMatch((await second.inject('/metrics')).body, /http_request_duration_seconds_count\{[^}]*route="\/v1\/sessions\/:id"/)
  t.notMatch(await globalRegistry.metrics(), 'http_request_duration_seconds')
})

t.test('HTTP durations are labelled by method, route template and status class, never by the URL', async (t) => {
  const app = await bareApp(t)
  for (const id of ['id-one', 'id-two', 'id-three']) await app.inject(`/v1/sessions/${id}`)
  await app.inject({ method: 'POST', url: '/v1/sessions/id-four/fail' })
  await app.inject('/v1/unknown/id-five')
  await app.inject('/metrics')
  const text = (await app.inject('/metrics')).body
  t.match(text, 'http_request_duration_seconds_count{method="GET",route="/v1/sessions/:id",status_class="2xx"} 3')
  t.match(text, 'http_request_duration_seconds_count{method="POST",route="/v1/sessions/:id/fail",status_class="4xx"} 1')
  t.match(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"} 1')
  t.notMatch(text, 'route="/metrics"', 'scrapes are not measured')
  t.notMatch(text, /id-(one|two|three|four|five)/)
})

t.test('Redis operations are timed by operation name and failures counted', async (t) => {
  const app = await bareApp(t)
  app.metrics.observeRedis('readSession', 0.002, false)
  app.metrics.observeRedis('readSession', 0.3, true)
  app.metrics.observeRedis('createSession', 0.004, false)
  const text = (await app.inject('/metrics')).body
  t.match(text, 'redis_command_duration_seconds_count{operation="readSession"} 2')
  t.match(text, 'redis_command_duration_seconds_count{operation="createSession"} 1')
  t.match(text, 'redis_command_errors_total{operation="readSession"} 1')
  t.notMatch(text, 'redis_command_errors_total{operation="createSession"}')
})

t.test('on the whole app, no session or user id ever becomes a label value', async (t) => {
  const { app } = await buildTestApp(t)
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const session = await createSession(app, { user_id: `metrics-user-${i}` })
    ids.push(session.id, session.user_id)
    await app.inject(`/v1/sessions/${session.id}`)
    await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}` })
    await app.inject(`/v1/sessions/${session.id}`)
  }
  await app.inject('/v1/sessions/%ZZ')
  const text = (await app.inject('/metrics')).body
  t.match(text, 'sessions_created_total 3')
  t.match(text, 'redis_connection_up 1')
  t.match(text, /redis_command_duration_seconds_count\{operation="createSession"\} 3/)
  const values = labelValues(text)
  t.ok(values.length > 10, 'there are labels to look at')
  for (const id of ids) t.notOk(values.some((v) => v.includes(id)), `${id} is in no label value`)
  t.notOk(values.some((v) => /[A-Za-z0-9_-]{24}/.test(v) && !v.includes('/')), 'nothing that looks like a session id either')
})
