import t from 'tap'
import { buildTestApp, createSession, json, sleep } from '../helper.js'
import { storedEvents } from '../session-state.js'
import { EXPIRY_GRACE_MS } from '../../src/domain/ttl.js'

const putStep = (app: any, id: string, n: number | string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'PUT', url: `/v1/sessions/${id}/steps/${n}`, payload, headers })

t.test('each saved step answers itself with progress, and the version rises by exactly 1 per save', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding', total_steps: 4 })
  for (const [i, n] of [2, 1, 4].entries()) {
    const response = await putStep(app, session.id, n, { answer: n })
    t.equal(response.statusCode, 200)
    t.equal(response.headers.etag, `"${i + 2}"`)
    const body = json(response)
    t.match(body, { step: n, data: { answer: n }, progress: { completed: i + 1, total: 4 } })
    t.equal(body.progress.updated_at, body.saved_at)
  }
  const saved = json(await putStep(app, session.id, 2, { answer: 'again' }))
  t.same(saved.progress, { ...saved.progress, completed: 3, percent: 75, completed_steps: [1, 2, 4], next_step: 3 }, 'replacing a step does not count it twice')
  const read = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })
  t.equal(json(read).version, 5)
})

t.test('a saved step answers, byte for byte, what GET step and GET progress answer (its data text is the stored one)', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding', total_steps: 7 })
  const tricky = { '2': 'integer-like key', b: [1, 2.5, -0, 1e21, null, true], nested: { 'k"ey': 'v\u0001', empty: {} }, emoji: '👩‍💻', 'line\nkey': 'x\u2028y', lone: '\ud800' }
  for (const [n, data] of [[1, { a: 1 }], [3, tricky], [7, {}], [3, { again: 'replaced' }]] as Array<[number, object]>) {
    const put = await putStep(app, session.id, n, data)
    t.equal(put.statusCode, 200)
    t.match(put.headers['content-type'], /^application\/json/)
    const step = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps/${n}` })
    const progress = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/progress` })
    t.equal(put.body, `${step.body.slice(0, -1)},"progress":${progress.body}}`, `step ${n}`)
    t.same(json(put).data, data)
  }
  t.same(json(await putStep(app, session.id, 2, { b: 1 })).progress, { completed: 4, total: 7, percent: 57.1, completed_steps: [1, 2, 3, 7], next_step: 4, updated_at: json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps/2` })).saved_at })
})

t.test('100 concurrent saves of repeating steps from two instances: completed equals the distinct steps saved', async (t) => {
  const first = await buildTestApp(t)
  const second = await buildTestApp(t, { KEY_ENV: first.config.keys.env })
  const session = await createSession(first.app, { kind: 'onboarding' })
  const chosen = Array.from({ length: 100 }, () => 1 + Math.floor(Math.random() * 23))
  const responses = await Promise.all(chosen.map((n, i) => putStep((i % 2 === 0 ? first : second).app, session.id, n, { i })))
  t.same(responses.map((r) => r.statusCode), chosen.map(() => 200))
  const etags = responses.map((r) => Number(JSON.parse(r.headers.etag as string))).sort((a, b) => a - b)
  t.same(etags, Array.from({ length: 100 }, (_, i) => i + 2), 'every save is its own version: 2 … 101')
  for (const response of responses) {
    const { progress } = json(response)
    t.equal(progress.completed, progress.completed_steps.length, 'each answer is self-consistent')
  }

  const distinct = [...new Set(chosen)].sort((a, b) => a - b)
  const progress = json(await first.app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/progress` }))
  t.equal(progress.completed, distinct.length)
  t.same(progress.completed_steps, distinct)
  t.equal(progress.percent, Math.round((distinct.length / 23) * 1000) / 10)
  const stored = await first.redis.lrange(first.keys.steps(session.id), 0, -1)
  t.same(stored.flatMap((value, i) => value === '' ? [] : [i + 1]), distinct, 'the steps list holds exactly the distinct steps')
})

t.test('step 0, step 24 of 23, and non-integer steps are 400 and store nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding' })
  for (const n of ['0', '24', '101', '-1', '1.5', 'abc']) {
    for (const method of ['PUT', 'GET', 'DELETE'] as const) {
      const response = await app.inject({ method, url: `/v1/sessions/${session.id}/steps/${n}`, ...(method === 'PUT' ? { payload: { a: 1 } } : {}) })
      t.equal(response.statusCode, 400, `${method} step ${n}`)
      t.equal(json(response).code, 'validation_failed', `${method} step ${n}`)
      t.match(json(response).errors, [{ path: 'params/n' }], `${method} step ${n} names the parameter`)
    }
  }
  t.equal(await redis.exists(keys.steps(session.id)), 0, 'no step stored')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).version, 1)
})

t.test('total_steps is per session: step 5 of 4 is 400, step 30 of 40 is saved', async (t) => {
  const { app } = await buildTestApp(t)
  const small = await createSession(app, { total_steps: 4 })
  const large = await createSession(app, { total_steps: 40 })
  t.equal((await putStep(app, small.id, 5, {})).statusCode, 400)
  t.equal((await putStep(app, large.id, 30, {})).statusCode, 200)
})

t.test('a step body that is not a JSON object of at most 64 KiB is refused and nothing is stored', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  const cases: Array<[string, unknown, number]> = [
    ['over 64 KiB', { blob: 'x'.repeat(65_537) }, 400],
    ['over the body limit', { blob: 'x'.repeat(1_100_000) }, 413],
    ['an array', [1, 2], 400],
    ['a string', 'text', 400],
    ['null', null, 400]
  ]
  for (const [name, payload, status] of cases) {
    const response = await app.inject({
      method: 'PUT', url: `/v1/sessions/${session.id}/steps/1`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload)
    })
    t.equal(response.statusCode, status, name)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', name)
  }
  t.equal((await putStep(app, session.id, 1, { blob: 'x'.repeat(65_000) })).statusCode, 200, 'just under 64 KiB is fine')
  t.same(await redis.lrange(keys.steps(session.id), 0, -1), [await redis.lindex(keys.steps(session.id), 0)], 'only the valid step is stored')
})

t.test('a paused session refuses step writes with 409 session_not_writable but still reads', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  t.equal((await putStep(app, session.id, 1, { a: 1 })).statusCode, 200)
  for (const state of ['paused', 'error']) {
    const patched = await app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { state } })
    t.equal(patched.statusCode, 200, `moved to ${state}`)
    const version = await redis.hget(keys.session(session.id), 'version')
    for (const [method, payload] of [['PUT', { a: 2 }], ['DELETE', undefined]] as const) {
      const response = await app.inject({ method, url: `/v1/sessions/${session.id}/steps/1`, ...(payload !== undefined ? { payload } : {}) })
      t.equal(response.statusCode, 409, `${method} in ${state}`)
      t.equal(json(response).code, 'session_not_writable', `${method} in ${state}`)
    }
    const read = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps/1` })
    t.equal(read.statusCode, 200, `reads work in ${state}`)
    t.same(json(read).data, { a: 1 }, `the step is unchanged in ${state}`)
    t.equal(await redis.hget(keys.session(session.id), 'version'), version, `refused writes change nothing in ${state}`)
  }
})

t.test('a stale if-match is 412 version_conflict and changes nothing; the current one is accepted', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  const stale = await putStep(app, session.id, 1, { a: 1 }, { 'if-match': '"7"' })
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 1 })
  t.equal(await redis.exists(keys.steps(session.id)), 0)
  const current = await putStep(app, session.id, 1, { a: 1 }, { 'if-match': '"1"' })
  t.equal(current.statusCode, 200)
  t.equal(current.headers.etag, '"2"')
  const staleDelete = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/steps/1`, headers: { 'if-match': '"1"' } })
  t.equal(staleDelete.statusCode, 412)
  t.equal(await redis.llen(keys.steps(session.id)), 1)
})

t.test('one step reads back; an unsaved step is 404 step_not_found; delete removes it and updates progress', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 3 })
  const saved = json(await putStep(app, session.id, 2, { color: 'blue' }))
  const read = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps/2` })
  t.equal(read.statusCode, 200)
  t.same(json(read), { step: 2, data: { color: 'blue' }, saved_at: saved.saved_at })
  t.equal(read.headers.etag, '"2"')
  const missing = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps/1` })
  t.equal(missing.statusCode, 404)
  t.equal(json(missing).code, 'step_not_found')

  await sleep(5)
  const removed = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/steps/2` })
  t.equal(removed.statusCode, 204)
  t.equal(removed.headers.etag, '"3"')
  const progress = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/progress` }))
  t.match(progress, { completed: 0, completed_steps: [], next_step: 1, percent: 0 })
  t.ok(Date.parse(progress.updated_at) > Date.parse(saved.saved_at), 'progress.updated_at moves on delete')
  const again = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/steps/2` })
  t.equal(again.statusCode, 404)
  t.equal(json(again).code, 'step_not_found')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).version, 3, 'a refused delete changes nothing')
})

t.test('progress of a session without steps; steps of a missing session are 404', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 8 })
  const progress = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/progress` })
  t.same(json(progress), { completed: 0, total: 8, percent: 0, completed_steps: [], next_step: 1, updated_at: null })
  t.equal(progress.headers.etag, '"1"')
  for (const url of ['/steps', '/steps/1', '/progress']) {
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA${url}` })
    t.equal(response.statusCode, 404, url)
    t.equal(json(response).code, 'session_not_found', url)
  }
  const put = await putStep(app, 'AAAAAAAAAAAAAAAAAAAAAAAA', 1, {})
  t.equal(json(put).code, 'session_not_found')
})

t.test('the step list comes in step order, in pages', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { total_steps: 12 })
  for (const n of [10, 3, 7, 1, 12, 5, 2]) t.equal((await putStep(app, session.id, n, { n })).statusCode, 200)
  const seen: number[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const query: string = cursor === null ? 'limit=3' : `limit=3&cursor=${cursor}`
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps?${query}` })
    t.equal(response.statusCode, 200)
    const body = json(response)
    t.equal(body.progress.completed, 7)
    t.ok(body.steps.length <= 3)
    for (const step of body.steps) t.same(step.data, { n: step.step })
    seen.push(...body.steps.map((s: any) => s.step))
    cursor = body.next_cursor
    pages++
  } while (cursor !== null)
  t.same(seen, [1, 2, 3, 5, 7, 10, 12])
  t.equal(pages, 3)
  const all = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps` }))
  t.equal(all.steps.length, 7)
  t.equal(all.next_cursor, null)
  for (const bad of ['cursor=nope', 'cursor=eyJ4IjoxfQ', 'limit=201', 'limit=0']) {
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/steps?${bad}` })
    t.equal(response.statusCode, 400, bad)
  }
})

t.test('reads under a session slide its expiry without changing its version', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  // A 60 s TTL slides once it would move by 1 % (600 ms): see docs/decisions/0701.
  const session = await createSession(app, { ttl_seconds: 60 })
  await putStep(app, session.id, 1, { a: 1 })
  for (const path of ['/steps/1', '/steps', '/progress']) {
    const before = await redis.pexpiretime(keys.session(session.id))
    await sleep(650)
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}${path}` })
    t.equal(response.statusCode, 200)
    t.equal(response.headers.etag, '"2"', `${path} is not a change`)
    const after = await redis.pexpiretime(keys.session(session.id))
    t.ok(after - before >= 600, `${path} slid the session key (${after - before} ms)`)
    t.equal(await redis.pexpiretime(keys.steps(session.id)), after, `${path} slid the steps key with it`)
    const again = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}${path}` })
    t.equal(again.statusCode, 200)
    t.equal(await redis.pexpiretime(keys.session(session.id)), after, `${path} at once again moves nothing: the read wrote nothing`)
  }
})

t.test('everything under the session expires with it: every key has the session\'s expiry', async (t) => {
  const { app, redis, keys, allKeys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding' })
  for (const n of [1, 2, 3]) await putStep(app, session.id, n, { n })
  await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/steps/2` })
  const expiresAt = Date.parse(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).expires_at)
  const sessionKeys = (await allKeys()).filter((k) => k.includes(`{${session.id}}`))
  t.ok(sessionKeys.includes(keys.steps(session.id)))
  // Expired from expires_at on; its keys go the sweep's grace later (docs/decisions/0712).
  for (const key of sessionKeys) t.equal(await redis.pexpiretime(key), expiresAt + EXPIRY_GRACE_MS, `${key} goes with the session`)
  for (const key of await allKeys()) t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
})

t.test('saving a step appends a step.saved event', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  await putStep(app, session.id, 3, { a: 1 })
  await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/steps/3` })
  const events = await storedEvents(redis, keys, session.id)
  t.same(events.map((e) => [e.type, e.version, e.data]), [
    ['session.created', 1, { kind: 'generic' }], ['step.saved', 2, { step: 3 }], ['step.deleted', 3, { step: 3 }]
  ])
})
