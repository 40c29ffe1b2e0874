// GET /v1/sessions/{id}/events through HTTP on a real Redis (contract §8).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { authEnv, bearer, buildTestApp, createSession, json, serviceKey, sleep, userToken } from '../helper.js'
import { openStream, type SseStream } from '../sse-client.js'
import { EVENT_PAYLOADS } from '../../schemas/events.js'
import { EVENTS_RETAINED, EVENTS_TRIM_SLACK } from '../../src/domain/events.js'
import { Value } from 'typebox/value'

async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as { port: number }).port
}

const eventsOf = (id: string) => `/v1/sessions/${id}/events`

t.test('every change arrives in order, with the session version as id and what changed as data', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listen(app)
  const session = await createSession(app, { kind: 'narrative', total_steps: 3, metadata: { secret: 'meta-secret' } })
  const stream = await openStream(port, eventsOf(session.id))
  t.teardown(stream.close)
  t.equal(stream.status, 200)
  t.match(stream.headers['content-type'], /^text\/event-stream/)
  t.equal(stream.headers['x-accel-buffering'], 'no')
  t.equal(stream.headers['cache-control'], 'no-store')
  const base = `/v1/sessions/${session.id}`
  const calls: Array<[string, string, unknown]> = [
    ['PUT', `${base}/steps/2`, { answer: 'step-secret' }],
    ['DELETE', `${base}/steps/2`, undefined],
    ['PUT', `${base}/narrative/world_state`, { data: { weather: 'narrative-secret' } }],
    ['POST', `${base}/scenes`, { scene_id: 'intro' }],
    ['POST', `${base}/choices`, { scene_id: 'intro', choice_id: 'left', data: { why: 'choice-secret' } }],
    ['POST', `${base}/messages`, { role: 'user', content: 'message-secret', metadata: { m: 'message-meta-secret' } }],
    ['PATCH', base, { metadata: { more: 'patch-secret' } }],
    ['PATCH', base, { safety_level: 'crisis' }],
    ['PATCH', base, { safety_level: 'none', state: 'active' }],
    ['POST', `${base}/finalize`, { allow_incomplete: true }]
  ]
  for (const [method, url, payload] of calls) {
    const response = await app.inject({ method: method as any, url, ...(payload !== undefined ? { payload: payload as object } : {}) })
    t.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode}`)
  }
  const messages = await stream.waitFor(13)
  const data = messages.map((m) => JSON.parse(m.data).data)
  t.same(messages.map((m) => [m.id, m.event]), [
    ['2', 'step.saved'], ['3', 'step.deleted'], ['4', 'narrative.updated'], ['5', 'scene.entered'], ['6', 'choice.made'],
    ['7', 'message.created'], ['8', 'session.updated'],
    ['9', 'session.updated'], ['9', 'session.state_changed'], ['9', 'session.paused'],
    ['10', 'session.updated'], ['10', 'session.state_changed'], ['11', 'session.finalized']
  ], 'in order; the events of one change share its version')
  t.same(data.slice(0, 3), [{ step: 2 }, { step: 2 }, { action: 'stored', context_types: ['world_state'] }])
  t.match(data[3], { scene_id: 'intro', index: 0, entry_id: String })
  t.match(data[4], { scene_id: 'intro', choice_id: 'left', index: 0, entry_id: String })
  t.match(data[5], { seq: 1, role: 'user', message_id: String })
  t.same(data.slice(6, 12), [
    { changed: ['metadata'] },
    { changed: ['state', 'safety_level'] }, { from: 'active', to: 'paused' }, { reason: 'safety' },
    { changed: ['state', 'safety_level'] }, { from: 'paused', to: 'active' }
  ])
  t.match(data[12], { completed: 0, total: 3, finalized_at: String })
  for (const message of messages) {
    const event = JSON.parse(message.data)
    t.match(event, { type: message.event, session_id: session.id, version: Number(message.id), at: String })
    t.ok(Value.Check(EVENT_PAYLOADS[event.type as keyof typeof EVENT_PAYLOADS], event.data), `${event.type} data has its documented shape`)
  }
  t.notMatch(messages.map((m) => m.data).join('\n'), /secret/, 'no step data, content or metadata in any event')
})

t.test('a client resumes from last-event-id (header or query) without loss or duplicates', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listen(app)
  const session = await createSession(app)
  for (let n = 1; n <= 3; n++) await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/${n}`, payload: { n } })
  // The session is at version 4; the client saw up to 2.
  for (const [how, open] of [
    ['header', async () => await openStream(port, eventsOf(session.id), { 'last-event-id': '2' })],
    ['query', async () => await openStream(port, `${eventsOf(session.id)}?last_event_id=2`)]
  ] as const) {
    const stream = await open()
    t.teardown(stream.close)
    await stream.waitFor(2)
    await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/9`, payload: { live: true } })
    const messages = await stream.waitFor(how === 'header' ? 3 : 4)
    t.same(messages.slice(0, 2).map((m) => [m.id, JSON.parse(m.data).data.step]), [['3', 2], ['4', 3]], `${how}: the missed ones first`)
    t.ok(messages.slice(2).every((m, i) => Number(m.id) === 5 + i), `${how}: then live ones, each once`)
  }
})

t.test('the log keeps at least the newest EVENTS_RETAINED events, trimmed back in batches', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const writes = EVENTS_RETAINED + EVENTS_TRIM_SLACK + 5
  for (let i = 0; i < writes; i++) await app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { metadata: { i } } })
  const logged = await redis.lrange(keys.events(session.id), 0, -1)
  const versions = logged.map((e) => Number(JSON.parse(e)[0]))
  t.ok(logged.length >= EVENTS_RETAINED && logged.length <= EVENTS_RETAINED + EVENTS_TRIM_SLACK, `${logged.length} events logged`)
  t.equal(versions.at(-1), writes + 1, 'the newest is the last change')
  t.same(versions, versions.map((_, i) => writes + 2 - versions.length + i), 'a contiguous run of the newest versions')
})

t.test('a last-event-id older than what the log keeps starts with event: resync', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const port = await listen(app)
  const session = await createSession(app)
  // Make the log forget its first entries, as it does past 1000 events.
  await redis.ltrim(keys.events(session.id), 1, -1)
  await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/1`, payload: {} })
  await redis.lpop(keys.events(session.id))
  const stream = await openStream(port, eventsOf(session.id), { 'last-event-id': '0' })
  t.teardown(stream.close)
  const [first] = await stream.waitFor(1)
  t.match(first, { event: 'resync', id: '2' })
  t.same(JSON.parse(first!.data), { session_id: session.id, version: 2 })
  const current = await openStream(port, eventsOf(session.id), { 'last-event-id': '2' })
  t.teardown(current.close)
  await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/2`, payload: {} })
  t.match((await current.waitFor(1))[0], { id: '3', event: 'step.saved' }, 'a current id needs no resync')
})

t.test('deleting the session sends session.deleted (last version + 1) and ends the stream', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listen(app)
  const session = await createSession(app)
  const stream = await openStream(port, eventsOf(session.id))
  t.teardown(stream.close)
  await sleep(50)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}` })).statusCode, 204)
  const [deleted] = await stream.waitFor(1)
  t.match(deleted, { id: '2', event: 'session.deleted' })
  t.same(JSON.parse(deleted!.data).data, {})
  await stream.ended
  t.pass('the stream ended')
  const again = await openStream(port, eventsOf(session.id))
  t.equal(again.status, 404)
  await again.ended
  t.equal(JSON.parse(again.body()).code, 'session_not_found', 'a reconnect learns the session is gone')
})

t.test('an expiring session sends session.expired once, from the sweep, and ends the stream', async (t) => {
  const { app } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1', EXPIRY_SWEEP_INTERVAL_MS: '100' })
  const port = await listen(app)
  const session = await createSession(app)
  const first = await openStream(port, eventsOf(session.id))
  const second = await openStream(port, eventsOf(session.id))
  t.teardown(() => { first.close(); second.close() })
  for (const stream of [first, second]) {
    const [expired] = await stream.waitFor(1, 4000)
    t.match(expired, { id: '2', event: 'session.expired' })
    await stream.ended
  }
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}` })).statusCode, 404)
})

t.test('with the default sweep interval, session.expired comes within 30 s of expires_at (contract §8)', async (t) => {
  // Two instances on one Redis, as deployed; only the TTL is short. The delays are reported, not timed:
  // the bound checked is the contract's.
  const { app, config } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1' })
  const { app: other } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1', KEY_ENV: config.keys.env })
  const port = await listen(app)
  const sessions = await Promise.all(Array.from({ length: 20 }, async (_, i) => await createSession(i % 2 === 0 ? app : other)))
  const delays = await Promise.all(sessions.map(async (session) => {
    const stream = await openStream(port, eventsOf(session.id))
    t.teardown(stream.close)
    const [expired] = await stream.waitFor(1, 30_000)
    t.equal(expired!.event, 'session.expired')
    return Date.now() - Date.parse(session.expires_at)
  }))
  delays.sort((a, b) => a - b)
  t.comment(`session.expired after expires_at: median ${delays[10]} ms, max ${delays.at(-1)} ms (EXPIRY_SWEEP_INTERVAL_MS default ${config.events.sweepIntervalMs})`)
  t.ok(delays.at(-1)! < 30_000, 'every one within 30 s')
})

t.test('streams are owner-only: someone else\'s session is a 404 problem before any streaming', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const port = await listen(app)
  const session = await createSession(app, { user_id: 'alice' }, bearer(serviceKey))
  const mallory = await openStream(port, eventsOf(session.id), bearer(await userToken('mallory')))
  await mallory.ended
  t.equal(mallory.status, 404)
  t.match(mallory.headers['content-type'], /application\/problem\+json/)
  t.equal(JSON.parse(mallory.body()).code, 'session_not_found')
  const anonymous = await openStream(port, eventsOf(session.id))
  await anonymous.ended
  t.equal(anonymous.status, 401)
  const alice = await openStream(port, eventsOf(session.id), bearer(await userToken('alice')))
  t.teardown(alice.close)
  t.equal(alice.status, 200)
  const bad = await openStream(port, `${eventsOf(session.id)}?last_event_id=abc`, bearer(await userToken('alice')))
  await bad.ended
  t.equal(bad.status, 400)
})

t.test('MAX_EVENT_STREAMS caps the streams of an instance: over it, 503 with retry-after', async (t) => {
  const { app } = await buildTestApp(t, { MAX_EVENT_STREAMS: '2' })
  const port = await listen(app)
  const session = await createSession(app)
  const open = [await openStream(port, eventsOf(session.id)), await openStream(port, eventsOf(session.id))]
  t.teardown(() => { for (const s of open) s.close() })
  const third = await openStream(port, eventsOf(session.id))
  await third.ended
  t.equal(third.status, 503)
  t.ok(Number(third.headers['retry-after']) >= 1)
  t.match(JSON.parse(third.body()), { code: 'service_unavailable' })
  open[0]!.close()
  await sleep(100)
  const fourth = await openStream(port, eventsOf(session.id))
  t.teardown(fourth.close)
  t.equal(fourth.status, 200, 'a closed stream frees its place')
})

t.test('streams end cleanly when the instance shuts down', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listen(app)
  const session = await createSession(app)
  const stream = await openStream(port, eventsOf(session.id))
  await sleep(50)
  const closing = app.close()
  await stream.ended
  await closing
  t.pass('the stream ended and close() returned')
})

t.test('1000 concurrent streams on one instance, each getting its own session\'s events, on the same Redis connections', async (t) => {
  const { app, redis } = await buildTestApp(t)
  const port = await listen(app)
  const clientCount = async (): Promise<number> => String(await redis.client('LIST')).split('\n').filter(Boolean).length
  const clientsBefore = await clientCount()
  // Created 100 at a time: 1000 creates at once can outlast a request's Redis deadline on a busy machine.
  const sessions: Array<{ id: string }> = []
  for (let i = 0; i < 1000; i += 100) {
    sessions.push(...await Promise.all(Array.from({ length: 100 }, async (_, k) => await createSession(app, { user_id: `u${(i + k) % 50}` }))))
  }
  const streams: SseStream[] = []
  for (let i = 0; i < sessions.length; i += 100) {
    streams.push(...await Promise.all(sessions.slice(i, i + 100).map(async (s) => await openStream(port, eventsOf(s.id)))))
  }
  t.teardown(() => { for (const s of streams) s.close() })
  const statuses = streams.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s.status]: (counts[s.status] ?? 0) + 1 }), {})
  t.same(statuses, { 200: 1000 }, 'all 1000 open')
  await sleep(200)
  const clientsOpen = await clientCount()
  t.ok(clientsOpen - clientsBefore <= 1, `one subscriber connection for all of them (Redis clients ${clientsBefore} → ${clientsOpen})`)
  await Promise.all(sessions.map(async (s, i) => {
    await app.inject({ method: 'PUT', url: `/v1/sessions/${s.id}/steps/1`, payload: { i } })
    await app.inject({ method: 'PUT', url: `/v1/sessions/${s.id}/steps/2`, payload: { i } })
  }))
  const received = await Promise.all(streams.map(async (s) => await s.waitFor(2, 20_000)))
  t.ok(received.every((messages) => messages.map((m) => m.id).join(',') === '2,3'), 'each stream got its own two events, in order')
  t.ok(received.every((messages, i) => messages.every((m) => JSON.parse(m.data).session_id === sessions[i]!.id)), 'and only its own')
  t.equal(json(await app.inject({ url: '/health' })).status, 'ok')
})
