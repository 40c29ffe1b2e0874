// OpenTelemetry tracing on the whole app and a real Redis: spans go to an in-memory exporter (the
// buildApp option), or through the real OTLP exporter to a collector played by a local HTTP server.
import t from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { FastifyPluginAsync } from 'fastify'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace'
import { authEnv, bearer, buildTestApp, createSession, serviceKey, sleep, userToken, type Tap, type TestApp } from '../helper.js'

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c'
const CALLER_SPAN = 'b7ad6b7169203331'
const traceparent = (flags: '01' | '00'): string => `00-${CALLER_TRACE}-${CALLER_SPAN}-${flags}`

async function tracedApp (t: Tap, env: Record<string, string> = {}, extraRoutes?: FastifyPluginAsync): Promise<TestApp & { spans: () => Promise<ReadableSpan[]> }> {
  const exporter = new InMemorySpanExporter()
  const built = await buildTestApp(t, env, { traceExporter: exporter, extraRoutes })
  const spans = async (): Promise<ReadableSpan[]> => {
    await built.app.tracing!.flush()
    return exporter.getFinishedSpans()
  }
  return { ...built, spans }
}

const requestSpans = (spans: ReadableSpan[]): ReadableSpan[] => spans.filter((span) => span.kind === SpanKind.SERVER)
const redisSpans = (spans: ReadableSpan[]): ReadableSpan[] => spans.filter((span) => span.name.startsWith('redis '))
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] =>
  spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)
const named = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((span) => span.name === name)
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}: ${spans.map((s) => s.name).join(', ')}`)
  return found[0]!
}

t.test('a request is one span named by its route template, and each Redis script it runs is a child span named by the script', async (t) => {
  const { app, spans } = await tracedApp(t)
  const session = await createSession(app, { kind: 'onboarding' })
  t.equal((await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/3`, payload: { answer: 42 } })).statusCode, 200)
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}` })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/no-such-thing' })).statusCode, 404)

  const all = await spans()
  t.same(requestSpans(all).map((span) => span.name),
    ['POST /v1/sessions', 'PUT /v1/sessions/:id/steps/:n', 'GET /v1/sessions/:id', 'GET'], 'route templates; an unmatched request is named by its method')

  const put = named(all, 'PUT /v1/sessions/:id/steps/:n')
  t.same(put.attributes, {
    'http.request.method': 'PUT',
    'http.route': '/v1/sessions/:id/steps/:n',
    'http.response.status_code': 200,
    'url.scheme': 'http',
    'network.protocol.version': '1.1'
  })
  t.equal(put.status.code, SpanStatusCode.UNSET)
  // A PUT has a body, read in the socket's context: its script span is still the request's child.
  const [saveStep, ...others] = childrenOf(all, put)
  t.same(others, [], 'one script for one step save')
  t.equal(saveStep!.name, 'redis saveStep')
  t.equal(saveStep!.kind, SpanKind.CLIENT)
  t.same(saveStep!.attributes, { 'db.system.name': 'redis', 'db.operation.name': 'saveStep' })
  t.equal(saveStep!.spanContext().traceId, put.spanContext().traceId)

  const get = named(all, 'GET /v1/sessions/:id')
  t.same(childrenOf(all, get).map((span) => span.name), ['redis readSession'])
  t.ok(childrenOf(all, named(all, 'POST /v1/sessions')).some((span) => span.name === 'redis createSession'))
  t.notOk(all.some((span) => span.name === 'GET' && span.attributes['http.route'] !== undefined), 'an unmatched request has no route attribute')

  for (const child of redisSpans(all)) {
    const parent = requestSpans(all).find((span) => span.spanContext().spanId === child.parentSpanContext?.spanId)
    t.ok(parent, `${child.name} is the child of a request span`)
    const nanos = ([s, ns]: [number, number]): bigint => BigInt(s) * 1_000_000_000n + BigInt(ns)
    t.ok(nanos(child.startTime) >= nanos(parent!.startTime) && nanos(child.endTime) <= nanos(parent!.endTime), `${child.name} lies within its request`)
  }
})

t.test('an incoming traceparent makes the request span a child of the caller\'s span, in the caller\'s trace', async (t) => {
  const { app, spans } = await tracedApp(t)
  const session = await createSession(app)
  await app.inject({ url: `/v1/sessions/${session.id}`, headers: { traceparent: traceparent('01'), tracestate: 'vendor=abc' } })

  const all = await spans()
  const get = named(all, 'GET /v1/sessions/:id')
  t.equal(get.spanContext().traceId, CALLER_TRACE)
  t.equal(get.parentSpanContext?.spanId, CALLER_SPAN)
  t.equal(get.parentSpanContext?.isRemote, true)
  t.equal(get.spanContext().traceState?.get('vendor'), 'abc', 'tracestate travels on')
  t.same(childrenOf(all, get).map((span) => span.spanContext().traceId), [CALLER_TRACE])
  t.not(named(all, 'POST /v1/sessions').spanContext().traceId, CALLER_TRACE, 'a request without traceparent starts its own trace')

  await app.inject({ url: `/v1/sessions/${session.id}`, headers: { traceparent: 'not-a-traceparent' } })
  const malformed = requestSpans(await spans()).at(-1)!
  t.equal(malformed.parentSpanContext, undefined, 'a malformed traceparent is ignored: a new trace')
})

t.test('sampling: the caller\'s decision is kept, and OTEL_TRACES_SAMPLER chooses for new traces', async (t) => {
  const parentBased = await tracedApp(t, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' })
  const session = await createSession(parentBased.app)
  await parentBased.app.inject({ url: `/v1/sessions/${session.id}`, headers: { traceparent: traceparent('01') } })
  await parentBased.app.inject({ url: `/v1/sessions/${session.id}`, headers: { traceparent: traceparent('00') } })
  t.same((await parentBased.spans()).map((span) => span.name), ['redis readSession', 'GET /v1/sessions/:id'],
    'only the request whose caller sampled it (ratio 0 for new traces)')

  const off = await tracedApp(t, { OTEL_TRACES_SAMPLER: 'always_off' })
  await createSession(off.app)
  await off.app.inject({ url: '/health/live', headers: { traceparent: traceparent('01') } })
  t.same(await off.spans(), [], 'always_off: nothing, whatever the caller says')
})

t.test('no span says which session, user, key, query or request it was about', async (t) => {
  const { app, spans, config } = await tracedApp(t, authEnv)
  const userId = 'user-7c1e5d@example.org'
  const workspaceId = 'workspace-93d1'
  const requestId = 'request-id-5f0a2b'
  const token = await userToken(userId)
  const session = await createSession(app, { user_id: userId, workspace_id: workspaceId, kind: 'onboarding' },
    { ...bearer(serviceKey), 'idempotency-key': 'idem-key-4471', 'x-request-id': requestId })
  const user = { ...bearer(token), 'x-request-id': requestId }
  const calls = [
    { url: `/v1/sessions/${session.id}?touch=false`, headers: user },
    { method: 'PUT' as const, url: `/v1/sessions/${session.id}/steps/7`, payload: { answer: 'secret-answer-e2a1' }, headers: user },
    { url: `/v1/users/${encodeURIComponent(userId)}/sessions?kind=onboarding`, headers: user },
    { url: `/v1/sessions/${session.id}/steps/7`, headers: user },
    { url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: user }
  ]
  for (const call of calls) t.ok((await app.inject(call)).statusCode < 500)

  const all = await spans()
  t.ok(all.length >= 10, `${all.length} spans`)
  const told = all.flatMap((span) => [span.name, span.status.message ?? '', ...Object.entries(span.attributes).flat().map(String),
    ...Object.values(span.resource.attributes).map(String), ...span.events.map((event) => JSON.stringify(event))]).join('\n')
  const ids = [session.id, userId, encodeURIComponent(userId), workspaceId, requestId, 'idem-key-4471', 'secret-answer-e2a1',
    config.keys.env, 'touch', 'kind=', '?', token, serviceKey]
  for (const id of ids) t.notMatch(told, id, `no span mentions ${id}`)
})

t.test('a 5xx marks the request span as an error, and a failed Redis operation its own span', async (t) => {
  const broken: FastifyPluginAsync = async (fastify) => {
    fastify.get('/broken', async () => await fastify.redis.call('brokenCommand', async (client) => await client.call('NO-SUCH-COMMAND')))
  }
  const { app, spans } = await tracedApp(t, {}, broken)
  const response = await app.inject({ url: '/v1/broken' })
  t.equal(response.statusCode, 500)

  const all = await spans()
  const request = named(all, 'GET /v1/broken')
  t.equal(request.status.code, SpanStatusCode.ERROR)
  t.equal(request.attributes['error.type'], '500')
  t.equal(request.attributes['http.response.status_code'], 500)
  const [command] = childrenOf(all, request)
  t.equal(command?.name, 'redis brokenCommand')
  t.equal(command?.status.code, SpanStatusCode.ERROR)
  t.equal(command?.status.message, undefined, 'no error text: it could quote a key or an argument')
})

t.test('Redis work outside a request (batched counts, sweeps) makes no span', async (t) => {
  const { app, spans } = await tracedApp(t)
  const session = await createSession(app)
  for (let i = 0; i < 5; i++) await app.inject({ url: `/v1/sessions/${session.id}` })
  await sleep(300) // the rate limiter flushes its counts to Redis every 100 ms, outside any request
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /sessiond_redis_command_duration_seconds_count\{operation="rateLimit"\} [1-9]/, 'background Redis work did run')

  const all = await spans()
  t.notOk(all.some((span) => span.name === 'redis rateLimit'))
  const requests = new Set(requestSpans(all).map((span) => span.spanContext().spanId))
  t.same(all.filter((span) => span.kind !== SpanKind.SERVER && !requests.has(span.parentSpanContext?.spanId ?? '')), [], 'every other span has a request for parent')
})

/** A local OTLP collector: records what is posted and answers `status`. */
async function collector (t: Tap, status: number): Promise<{ url: string, posts: Array<{ path: string, type: string, body: Buffer }> }> {
  const posts: Array<{ path: string, type: string, body: Buffer }> = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      posts.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) })
      res.writeHead(status, { 'content-type': 'application/x-protobuf' }).end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts }
}

t.test('with OTEL_EXPORTER_OTLP_ENDPOINT the spans are posted to its /v1/traces as OTLP protobuf, named by route and script only', async (t) => {
  const otlp = await collector(t, 200)
  const { app } = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'sessiond-under-test' })
  const session = await createSession(app)
  await app.inject({ url: `/v1/sessions/${session.id}` })
  await app.tracing!.flush()

  t.equal(otlp.posts.length, 1, 'one batch')
  const [post] = otlp.posts
  t.equal(post!.path, '/v1/traces')
  t.equal(post!.type, 'application/x-protobuf')
  const bytes = post!.body.toString('latin1') // protobuf strings are their UTF-8 bytes
  for (const text of ['sessiond-under-test', 'GET /v1/sessions/:id', 'POST /v1/sessions', 'redis readSession', 'redis createSession']) t.match(bytes, text)
  t.notMatch(bytes, session.id)
  t.notMatch(bytes, 'user-1')
})

t.test('a collector that refuses spans is logged once, not per export, and requests never notice', async (t) => {
  const otlp = await collector(t, 400)
  const lines: string[] = []
  const logStream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const { app } = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, LOG_LEVEL: 'warn' }, { logStream })
  for (let round = 0; round < 3; round++) {
    const session = await createSession(app)
    t.equal((await app.inject({ url: `/v1/sessions/${session.id}` })).statusCode, 200)
    await app.tracing!.flush().catch(() => {}) // the failed export rejects the flush; requests never see it
  }

  t.equal(otlp.posts.length, 3, 'every batch was tried')
  const reports = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg.startsWith('tracing: spans could not be exported'))
  t.equal(reports.length, 1, 'reported once')
  t.match(reports[0], { level: 40, lost_spans: Number, err: { message: String } })
})

t.test('closing the app exports the spans still queued', async (t) => {
  const otlp = await collector(t, 200)
  const { app } = await buildTestApp(t, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url })
  await app.inject('/health/live')
  t.equal(otlp.posts.length, 0, 'batched: nothing sent yet')
  await app.close()
  t.equal(otlp.posts.length, 1)
  t.match(otlp.posts[0]!.body.toString('latin1'), 'GET /health/live')
})
