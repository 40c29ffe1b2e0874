// The metrics plugin alone on a bare Fastify, then on the whole app for the label-value rule.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { register as globalRegistry } from 'prom-client'
import configPlugin from '../../plugins/config.js'
import metrics, { HTTP_BUCKETS, REDIS_BUCKETS } from '../../plugins/metrics.js'
import { SERVICE_VERSION } from '../../src/version.js'
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
    'sessiond_http_request_duration_seconds', 'sessiond_http_responses_total', 'sessiond_redis_command_duration_seconds',
    'sessiond_redis_command_errors_total', 'sessiond_redis_connection_up', 'sessiond_build_info',
    'sessiond_sessions_created_total', 'sessiond_sessions_finalized_total', 'sessiond_sessions_expired_total']) {
    t.match(response.body, `# TYPE ${name} `, `${name} is exposed`)
  }
})

t.test('the registry is private: two apps in one process, nothing in the global registry', async (t) => {
  const first = await bareApp(t)
  const second = await bareApp(t)
  await first.inject('/v1/sessions/a')
  t.match((await first.inject('/metrics')).body, /sessiond_http_request_duration_seconds_count\{[^}]*route="\/v1\/sessions\/:id"[^}]*\} 1/)
  t.notMatch((await second.inject('/metrics')).body, /sessiond_http_request_duration_seconds_count\{[^}]*route="\/v1\/sessions\/:id"/)
  t.notMatch(await globalRegistry.metrics(), 'sessiond_')
})

t.test('HTTP durations are labelled by method, route template and status class, never by the URL', async (t) => {
  const app = await bareApp(t)
  for (const id of ['id-one', 'id-two', 'id-three']) await app.inject(`/v1/sessions/${id}`)
  await app.inject({ method: 'POST', url: '/v1/sessions/id-four/fail' })
  await app.inject('/v1/unknown/id-five')
  await app.inject('/metrics')
  const text = (await app.inject('/metrics')).body
  t.match(text, 'sessiond_http_request_duration_seconds_count{method="GET",route="/v1/sessions/:id",status_class="2xx"} 3')
  t.match(text, 'sessiond_http_request_duration_seconds_count{method="POST",route="/v1/sessions/:id/fail",status_class="4xx"} 1')
  t.match(text, 'sessiond_http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"} 1')
  t.notMatch(text, 'route="/metrics"', 'scrapes are not measured')
  t.notMatch(text, /id-(one|two|three|four|five)/)
})

t.test('responses are counted by exact status code, so 429 and 503 stand apart from other 4xx and 5xx', async (t) => {
  const app = await bareApp(t)
  app.get('/v1/limited', async (_request, reply) => await reply.code(429).send({}))
  app.get('/v1/unavailable', async (_request, reply) => await reply.code(503).send({}))
  await app.inject('/v1/sessions/a')
  await app.inject('/v1/limited')
  await app.inject('/v1/limited')
  await app.inject('/v1/unavailable')
  const text = (await app.inject('/metrics')).body
  t.match(text, 'sessiond_http_responses_total{method="GET",route="/v1/sessions/:id",status_code="200"} 1')
  t.match(text, 'sessiond_http_responses_total{method="GET",route="/v1/limited",status_code="429"} 2')
  t.match(text, 'sessiond_http_responses_total{method="GET",route="/v1/unavailable",status_code="503"} 1')
})

t.test('the service\'s own metrics carry the sessiond_ prefix; process and Node defaults keep their standard names', async (t) => {
  const app = await bareApp(t)
  const text = (await app.inject('/metrics')).body
  const families = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!)
  const foreign = families.filter((name) => !/^(sessiond|process|nodejs)_/.test(name))
  t.same(foreign, [], 'every family is sessiond_, process_ or nodejs_')
  t.ok(families.filter((name) => name.startsWith('sessiond_')).length >= 9, 'the service exports its own families')
})

t.test('sessiond_build_info names the version and the Node.js it runs on, with the value 1', async (t) => {
  const app = await bareApp(t)
  const text = (await app.inject('/metrics')).body
  t.match(text, `sessiond_build_info{version="${SERVICE_VERSION}",node_version="${process.version}"} 1`)
})

t.test('latency buckets resolve sub-millisecond Redis scripts and the 0.3–5 ms HTTP requests', async (t) => {
  const app = await bareApp(t)
  app.metrics.observeRedis('readSession', 0.00007, false)
  app.metrics.observeRedis('readSession', 0.0004, false)
  await app.inject('/v1/sessions/a')
  const text = (await app.inject('/metrics')).body
  t.match(text, 'sessiond_redis_command_duration_seconds_bucket{le="0.0001",operation="readSession"} 1')
  t.match(text, 'sessiond_redis_command_duration_seconds_bucket{le="0.0005",operation="readSession"} 2')
  for (const le of ['0.00025', '0.0005', '0.001', '0.0025', '0.005']) {
    t.match(text, `sessiond_http_request_duration_seconds_bucket{le="${le}",method="GET"`, `an HTTP bucket at ${le} s`)
  }
  t.ok(REDIS_BUCKETS.filter((b) => b < 0.001).length >= 4, 'at least four Redis buckets under a millisecond')
  t.ok(HTTP_BUCKETS.filter((b) => b >= 0.0003 && b <= 0.005).length >= 4, 'at least four HTTP buckets within 0.3–5 ms')
})

t.test('Redis operations are timed by operation name and failures counted', async (t) => {
  const app = await bareApp(t)
  app.metrics.observeRedis('readSession', 0.002, false)
  app.metrics.observeRedis('readSession', 0.3, true)
  app.metrics.observeRedis('createSession', 0.004, false)
  const text = (await app.inject('/metrics')).body
  t.match(text, 'sessiond_redis_command_duration_seconds_count{operation="readSession"} 2')
  t.match(text, 'sessiond_redis_command_duration_seconds_count{operation="createSession"} 1')
  t.match(text, 'sessiond_redis_command_errors_total{operation="readSession"} 1')
  t.notMatch(text, 'sessiond_redis_command_errors_total{operation="createSession"}')
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
  t.match(text, 'sessiond_sessions_created_total 3')
  t.match(text, 'sessiond_redis_connection_up 1')
  t.match(text, /sessiond_redis_command_duration_seconds_count\{operation="createSession"\} 3/)
  const values = labelValues(text)
  t.ok(values.length > 10, 'there are labels to look at')
  for (const id of ids) t.notOk(values.some((v) => v.includes(id)), `${id} is in no label value`)
  // Only the service's own series can carry request data; Node's defaults have fixed label values
  // (Node 24 names a heap space "shared_trusted_large_object", as long as an id).
  const ownValues = labelValues(text.split('\n').filter((line) => line.startsWith('sessiond_')).join('\n'))
  t.notOk(ownValues.some((v) => /[A-Za-z0-9_-]{24}/.test(v) && !v.includes('/')), 'nothing that looks like a session id either')
})
