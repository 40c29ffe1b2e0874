import t from 'tap'
import { buildTestApp, createSession, json, sleep, type TestApp } from '../helper.js'
import { storedEvents } from '../session-state.js'
import { EXPIRY_GRACE_MS } from '../../src/domain/ttl.js'

const RETENTION_MS = 604_800 * 1000

const putStep = (app: any, id: string, n: number, payload: unknown) =>
  app.inject({ method: 'PUT', url: `/v1/sessions/${id}/steps/${n}`, payload })

const finalize = (app: any, id: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/v1/sessions/${id}/finalize`, headers, ...(payload !== undefined ? { payload } : {}) })

async function streamEntries ({ redis, keys }: TestApp): Promise<Array<[string, string[]]>> {
  return await redis.xrange(keys.finalizedStream(), '-', '+')
}

async function finalizedCount (app: any): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body as string
  return Number(/^sessiond_sessions_finalized_total (\d+)/m.exec(text)?.[1])
}

t.test('an onboarding session goes through its 23 steps and finalizes with the full result', async (t) => {
  const test = await buildTestApp(t)
  const { app, redis, keys, allKeys } = test
  const session = await createSession(app, { kind: 'onboarding', metadata: { source: 'web' } })
  for (let n = 1; n <= 23; n++) {
    const data: Record<string, unknown> = { [`answer_${n}`]: n }
    if (n === 3 || n === 7) data.name = `name from ${n}`
    const response = await putStep(app, session.id, n, data)
    t.equal(response.statusCode, 200)
    t.equal(json(response).progress.completed, n)
    t.equal(json(response).progress.next_step, n === 23 ? null : n + 1)
  }
  const progress = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/progress` }))
  t.match(progress, { completed: 23, total: 23, percent: 100, next_step: null })

  const response = await finalize(app, session.id)
  t.equal(response.statusCode, 200)
  t.equal(response.headers.etag, '"25"')
  const result = json(response)
  t.match(result.session, { id: session.id, state: 'completed', version: 25, completed_at: result.finalized_at, updated_at: result.finalized_at })
  t.equal(Date.parse(result.session.expires_at), Date.parse(result.finalized_at) + RETENTION_MS)
  t.same(result.progress.completed_steps, Array.from({ length: 23 }, (_, i) => i + 1))
  t.same(Object.keys(result.context.steps), Array.from({ length: 23 }, (_, i) => String(i + 1)))
  t.same(result.context.steps['3'], { answer_3: 3, name: 'name from 3' })
  t.equal(result.context.merged.name, 'name from 7', 'later steps win the shallow merge')
  t.equal(Object.keys(result.context.merged).length, 24)
  t.same(result.context.narrative, {})
  t.same(result.context.metadata, { source: 'web' })

  const read = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` }))
  t.same(read, result.session, 'the session reads back exactly as the result shows it')

  const again = await finalize(app, session.id)
  t.equal(again.statusCode, 200)
  t.same(json(again), result, 'finalizing again returns the same stored result')
  t.equal(await finalizedCount(app), 1, 'one completion counted')
  t.equal((await streamEntries(test)).length, 1, 'one stream entry')

  for (const [method, url, payload] of [
    ['PUT', '/steps/1', { a: 1 }], ['PUT', '/steps/9', { a: 1 }], ['DELETE', '/steps/2', undefined]
  ] as const) {
    const write = await app.inject({ method, url: `/v1/sessions/${session.id}${url}`, ...(payload !== undefined ? { payload } : {}) })
    t.equal(write.statusCode, 409, `${method} ${url}`)
    t.equal(json(write).code, 'session_finalized', `${method} ${url}`)
  }

  const finalizedAt = Date.parse(result.finalized_at)
  const sessionKeys = (await allKeys()).filter((k) => k.includes(`{${session.id}}`))
  t.ok(sessionKeys.includes(keys.finalized(session.id)))
  t.equal(Date.parse(result.session.expires_at), finalizedAt + RETENTION_MS, 'it expires at the end of the retention')
  // Its keys go the expiry sweep's grace after that (docs/decisions/0712).
  for (const key of sessionKeys) t.equal(await redis.pexpiretime(key), finalizedAt + RETENTION_MS + EXPIRY_GRACE_MS, `${key} is retained from finalize`)
  await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps` })
  t.equal(await redis.pexpiretime(keys.session(session.id)), finalizedAt + RETENTION_MS + EXPIRY_GRACE_MS, 'reads no longer slide it')
  for (const key of await allKeys()) t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
})

t.test('missing steps are 409 incomplete_steps with missing_steps and change nothing; allow_incomplete finalizes', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 5 })
  await putStep(app, session.id, 1, { a: 1 })
  await putStep(app, session.id, 4, { b: 2 })
  for (const payload of [undefined, {}, { allow_incomplete: false }]) {
    const response = await finalize(app, session.id, payload)
    t.equal(response.statusCode, 409)
    t.match(json(response), { code: 'incomplete_steps', missing_steps: [2, 3, 5] })
  }
  const read = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` }))
  t.match(read, { state: 'active', version: 3, completed_at: null })

  const response = await finalize(app, session.id, { allow_incomplete: true })
  t.equal(response.statusCode, 200)
  t.match(json(response), { progress: { completed: 2, completed_steps: [1, 4], next_step: 2 }, context: { merged: { a: 1, b: 2 } } })
})

t.test('20 concurrent finalize calls from two instances complete the session exactly once', async (t) => {
  const first = await buildTestApp(t)
  const second = await buildTestApp(t, { KEY_ENV: first.config.keys.env })
  const session = await createSession(first.app, { total_steps: 2 })
  await putStep(first.app, session.id, 1, { a: 1 })
  await putStep(first.app, session.id, 2, { b: 2 })
  const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => finalize((i % 2 === 0 ? first : second).app, session.id)))
  t.same(responses.map((r) => r.statusCode), responses.map(() => 200))
  const bodies = responses.map((r) => json(r))
  t.equal(new Set(bodies.map((b) => b.finalized_at)).size, 1, 'every response carries the same finalized_at')
  for (const body of bodies) t.same(body, bodies[0])
  t.equal(bodies[0].session.version, 4, 'one version step for the one completion')

  const events = await storedEvents(first.redis, first.keys, session.id)
  t.same(events.filter((e) => e.type === 'session.finalized').map((e) => [e.version, e.data]),
    [[4, { finalized_at: bodies[0].finalized_at, completed: 2, total: 2 }]], 'one session.finalized event')
  t.equal((await streamEntries(first)).length, 1, 'one stream entry')
  t.equal(await finalizedCount(first.app) + await finalizedCount(second.app), 1, 'one completion counted')
})

t.test('finalizing while steps are being saved stores exactly the committed steps', async (t) => {
  const first = await buildTestApp(t)
  const second = await buildTestApp(t, { KEY_ENV: first.config.keys.env })
  const session = await createSession(first.app, { total_steps: 40 })
  const writes = Array.from({ length: 40 }, (_, i) => putStep((i % 2 === 0 ? first : second).app, session.id, i + 1, { i }))
  const finalizing = finalize(second.app, session.id, { allow_incomplete: true })
  const [done, ...saved] = await Promise.all([finalizing, ...writes])
  t.equal(done.statusCode, 200)
  for (const response of saved) t.ok([200, 409].includes(response.statusCode), String(response.statusCode))
  const result = json(done)
  const stored = (await first.redis.lrange(first.keys.steps(session.id), 0, -1)).flatMap((value, i) => value === '' ? [] : [i + 1])
  t.same(Object.keys(result.context.steps).map(Number).sort((a, b) => a - b), stored,
    'the result holds exactly the steps that were committed before the completion')
  t.equal(result.progress.completed, stored.length)
  t.equal(saved.filter((r) => r.statusCode === 200).length, stored.length, 'every accepted save is in the result')
  t.equal(Number(await first.redis.hget(first.keys.session(session.id), 'version')), result.session.version)
})

t.test('a paused or error session cannot be finalized: 409 session_not_writable; initializing and active can', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 1 })
  await putStep(app, session.id, 1, { a: 1 })
  for (const state of ['paused', 'error']) {
    t.equal((await app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { state } })).statusCode, 200, `moved to ${state}`)
    const response = await finalize(app, session.id)
    t.equal(response.statusCode, 409, state)
    t.equal(json(response).code, 'session_not_writable', state)
  }
  t.equal(await redis.exists(keys.finalized(session.id)), 0)
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { state: 'active' } })).statusCode, 200)
  t.equal((await finalize(app, session.id)).statusCode, 200, 'a resumed session can be finalized')
  const initializing = await createSession(app, { total_steps: 1, state: 'initializing' })
  await putStep(app, initializing.id, 1, { a: 1 })
  t.equal((await finalize(app, initializing.id)).statusCode, 200, 'an initializing session can be finalized')
  const patch = await app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { state: 'active' } })
  t.equal(json(patch).code, 'session_finalized', 'a finalized session takes no PATCH either')
})

t.test('a stale if-match is 412 and changes nothing; a finalized session answers with its result whatever the if-match', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 1 })
  await putStep(app, session.id, 1, { a: 1 })
  const stale = await finalize(app, session.id, {}, { 'if-match': '"1"' })
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 2 })
  t.equal(await redis.hget(keys.session(session.id), 'state'), 'active')
  const done = await finalize(app, session.id, {}, { 'if-match': '"2"' })
  t.equal(done.statusCode, 200)
  const replay = await finalize(app, session.id, {}, { 'if-match': '"2"' })
  t.equal(replay.statusCode, 200)
  t.same(json(replay), json(done))
})

t.test('the result carries the live narrative contexts only', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 1 })
  await putStep(app, session.id, 1, { a: 1 })
  const context = (type: string, data: object, ttl: number) =>
    app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/narrative/${type}`, payload: { data, ttl_seconds: ttl } })
  t.equal((await context('world_state', { weather: 'rain' }, 3600)).statusCode, 200)
  t.equal((await context('emotional_state', { mood: 'gone' }, 1)).statusCode, 200)
  await sleep(1100)
  const result = json(await finalize(app, session.id))
  t.same(result.context.narrative, { world_state: { weather: 'rain' } })
  t.equal(await redis.pexpiretime(keys.narrative(session.id)), Date.parse(result.finalized_at) + RETENTION_MS + EXPIRY_GRACE_MS)
})

t.test('a completion whose publishing was cut short is published by the next finalize call, once', async (t) => {
  const test = await buildTestApp(t)
  const { app, redis, keys } = test
  const session = await createSession(app, { total_steps: 1 })
  await putStep(app, session.id, 1, { a: 1 })
  const result = json(await finalize(app, session.id))
  t.equal(await redis.hget(keys.session(session.id), 'finalized_published'), '1')

  // Simulate a process that died after completing but before publishing: no entry, lease still held.
  await redis.del(keys.finalizedStream())
  await redis.hdel(keys.session(session.id), 'finalized_published')
  await redis.hset(keys.session(session.id), 'finalized_publish_lease', String(Date.now() + 60_000))
  t.same(json(await finalize(app, session.id)), result)
  t.equal((await streamEntries(test)).length, 0, 'not while the dead publisher\'s lease runs')

  await redis.hset(keys.session(session.id), 'finalized_publish_lease', '1')
  const retried = await Promise.all(Array.from({ length: 5 }, async () => await finalize(app, session.id)))
  for (const response of retried) t.same(json(response), result)
  const entries = await streamEntries(test)
  t.equal(entries.length, 1, 'published once after the lease lapsed')
  t.equal(entries[0]![1][1], session.id)
  t.equal(await redis.hget(keys.session(session.id), 'finalized_published'), '1')
  await finalize(app, session.id)
  t.equal((await streamEntries(test)).length, 1, 'and never again')
  t.equal(await finalizedCount(app), 1, 'the re-publish is not a second completion')
})

t.test('a finalized session stays in its user\'s index for the whole retention', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 1, ttl_seconds: 60 })
  await putStep(app, session.id, 1, { a: 1 })
  const result = json(await finalize(app, session.id))
  t.not(await redis.zscore(keys.userSessions('user-1'), session.id), null, 'in the index')
  t.ok(await redis.pexpiretime(keys.userSessions('user-1')) >= Date.parse(result.finalized_at) + RETENTION_MS, 'which lives as long as the retention')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/user-1/sessions' })).sessions.map((s: any) => s.id), [session.id])
})

t.test('finalize refuses bad bodies and missing sessions', async (t) => {
  const { app, allKeys } = await buildTestApp(t)
  for (const payload of [{ allow_incomplete: 'yes' }, { other: true }, [true]]) {
    const response = await finalize(app, 'AAAAAAAAAAAAAAAAAAAAAAAA', payload)
    t.equal(response.statusCode, 400, JSON.stringify(payload))
    t.equal(json(response).code, 'validation_failed')
  }
  const missing = await finalize(app, 'AAAAAAAAAAAAAAAAAAAAAAAA')
  t.equal(missing.statusCode, 404)
  t.equal(json(missing).code, 'session_not_found')
  t.same(await allKeys(), [])
})

t.test('GET /v1/admin/finalized pages the stream oldest first, and each append renews its retention', async (t) => {
  const test = await buildTestApp(t)
  const { app, redis, keys } = test
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const session = await createSession(app, { total_steps: 1 })
    await putStep(app, session.id, 1, { i })
    t.equal((await finalize(app, session.id)).statusCode, 200)
    ids.push(session.id)
    if (i === 1) await redis.pexpire(keys.finalizedStream(), 10_000)
  }
  t.ok(await redis.pttl(keys.finalizedStream()) > RETENTION_MS - 60_000, 'the last append renewed the retention')

  const first = await app.inject({ method: 'GET', url: '/v1/admin/finalized?limit=2' })
  t.equal(first.statusCode, 200)
  const page = json(first)
  t.same(page.entries.map((e: any) => e.session_id), ids.slice(0, 2))
  t.equal(page.entries[0].finalized_at, page.entries[0].result.finalized_at)
  t.same(page.entries[0].result.context.steps, { 1: { i: 0 } })
  const rest = json(await app.inject({ method: 'GET', url: `/v1/admin/finalized?cursor=${page.next_cursor}` }))
  t.same(rest.entries.map((e: any) => e.session_id), ids.slice(2))
  t.equal(rest.next_cursor, null)
  t.same(json(await app.inject({ method: 'GET', url: `/v1/admin/finalized?after=${page.entries[1].id}` })).entries.map((e: any) => e.session_id), ids.slice(2),
    'after=<stream entry id> (the contract\'s name) continues after that entry')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/admin/finalized?after=${rest.entries[0].id}` })), { entries: [], next_cursor: null })
  for (const bad of ['after=latest', 'cursor=latest', `after=${page.entries[1].id}&cursor=${page.next_cursor}`, 'limit=0', 'limit=201', 'other=1']) {
    t.equal((await app.inject({ method: 'GET', url: `/v1/admin/finalized?${bad}` })).statusCode, 400, bad)
  }
})
