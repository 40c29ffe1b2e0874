import t from 'tap'
import { buildTestApp, createSession, json } from '../helper.js'

t.test('a created session has server-owned fields, defaults by kind, location and etag', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'alice@example.com', kind: 'onboarding' } })
  t.equal(response.statusCode, 201)
  const body = json(response)
  t.match(body.id, /^[A-Za-z0-9_-]{24}$/)
  t.equal(response.headers.location, `/v1/sessions/${body.id}`)
  t.equal(response.headers.etag, '"1"')
  t.match(body, {
    user_id: 'alice@example.com', kind: 'onboarding', state: 'active', safety_level: 'none', version: 1,
    total_steps: 23, ttl_seconds: 604800, therapeutic_goals: [], metadata: {}, completed_at: null, current_scene_id: null
  })
  const created = Date.parse(body.created_at)
  t.equal(Date.parse(body.expires_at) - created, 604800 * 1000)
  t.equal(Date.parse(body.absolute_expires_at) - created, 2592000 * 1000)
})

t.test('generic sessions default to SESSION_TTL_SECONDS and keep their fields', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await createSession(app, { workspace_id: 'ws-1', state: 'initializing', therapeutic_goals: ['calm'], metadata: { a: { b: 1 } } })
  t.match(body, { kind: 'generic', ttl_seconds: 86400, workspace_id: 'ws-1', state: 'initializing', therapeutic_goals: ['calm'], metadata: { a: { b: 1 } } })
})

t.test('ids are unguessable and a client-supplied id is rejected', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = new Set<string>()
  for (let i = 0; i < 20; i++) ids.add((await createSession(app)).id)
  t.equal(ids.size, 20)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u', id: 'mine' } })
  t.equal(response.statusCode, 400)
  t.equal(json(response).code, 'validation_failed')
  t.match(json(response).errors, [{ path: 'body/id' }])
})

t.test('read returns the session with its etag; unknown ids are 404 problems', async (t) => {
  const { app } = await buildTestApp(t)
  const created = await createSession(app)
  const read = await app.inject({ method: 'GET', url: `/v1/sessions/${created.id}` })
  t.equal(read.statusCode, 200)
  t.equal(read.headers.etag, '"1"')
  t.equal(json(read).id, created.id)
  const missing = await app.inject({ method: 'GET', url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(missing), { code: 'session_not_found', status: 404, type: 'urn:sessiond:problem:session_not_found' })
})

t.test('delete removes the session and every key under it, then answers 404', async (t) => {
  const { app, allKeys } = await buildTestApp(t)
  const created = await createSession(app)
  t.ok((await allKeys()).some((k) => k.includes(`{${created.id}}`)))
  const deleted = await app.inject({ method: 'DELETE', url: `/v1/sessions/${created.id}` })
  t.equal(deleted.statusCode, 204)
  t.notOk((await allKeys()).some((k) => k.includes(`{${created.id}}`)), 'no key of the session is left')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${created.id}` })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: `/v1/sessions/${created.id}` })).statusCode, 404)
})

t.test('every key written has a TTL and follows the key format', async (t) => {
  const { app, allKeys, redis, config } = await buildTestApp(t)
  await createSession(app, { kind: 'chat' })
  const keys = await allKeys()
  t.ok(keys.length >= 3)
  for (const key of keys) {
    t.match(key, new RegExp(`^(session|user|global):sessiond:${config.keys.env}:[a-z_]+:\\{[^}]+\\}:v2(:.+)?$`), key)
    t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
    t.notMatch(key, /user-1/, 'no user id in key names')
  }
})

t.test('bad input is a 400 problem and stores nothing', async (t) => {
  const { app, allKeys } = await buildTestApp(t)
  const cases: Array<[string, unknown]> = [
    ['ttl as string', { user_id: 'u', ttl_seconds: '3600' }],
    ['ttl too small', { user_id: 'u', ttl_seconds: 59 }],
    ['unknown kind', { user_id: 'u', kind: 'poetry' }],
    ['completed is not a creatable state', { user_id: 'u', state: 'completed' }],
    ['bad user id', { user_id: 'has space' }],
    ['user id too long', { user_id: 'a'.repeat(129) }],
    ['metadata over 16 KiB', { user_id: 'u', metadata: { blob: 'x'.repeat(17000) } }],
    ['too many goals', { user_id: 'u', therapeutic_goals: Array.from({ length: 33 }, () => 'g') }],
    ['server-owned version', { user_id: 'u', version: 7 }]
  ]
  for (const [name, payload] of cases) {
    const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: payload as object })
    t.equal(response.statusCode, 400, name)
    t.equal(json(response).code, 'validation_failed', name)
    t.ok(Array.isArray(json(response).errors), `${name} carries field errors`)
  }
  t.same(await allKeys(), [], 'nothing was stored')
})

t.test('a 128-character user id is accepted', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await createSession(app, { user_id: 'u'.repeat(128) })
  t.equal(body.user_id.length, 128)
})

t.test('a body that is not JSON is 415; malformed JSON is 400; both are problems that store nothing', async (t) => {
  const { app, allKeys } = await buildTestApp(t)
  const text = await app.inject({ method: 'POST', url: '/v1/sessions', payload: 'user_id=u', headers: { 'content-type': 'text/plain' } })
  t.equal(text.statusCode, 415)
  t.equal(json(text).code, 'unsupported_media_type')
  const broken = await app.inject({ method: 'POST', url: '/v1/sessions', payload: '{"user_id":', headers: { 'content-type': 'application/json' } })
  t.equal(broken.statusCode, 400)
  t.equal(json(broken).code, 'validation_failed')
  const badUrl = await app.inject({ method: 'GET', url: '/v1/sessions/x%ZZ' })
  t.equal(badUrl.statusCode, 400)
  t.equal(badUrl.headers['cache-control'], 'no-store')
  t.ok(badUrl.headers['x-request-id'])
  t.same(await allKeys(), [])
})

t.test('an empty body sent as application/json means no body: fine for DELETE, 400 where a body is needed', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  const json0 = { 'content-type': 'application/json' }
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${s.id}`, headers: json0 })).statusCode, 204)
  const create = await app.inject({ method: 'POST', url: '/v1/sessions', headers: json0 })
  t.equal(create.statusCode, 400)
  t.equal(json(create).code, 'validation_failed')
  const poisoned = await app.inject({ method: 'POST', url: '/v1/sessions', headers: json0, payload: '{"user_id":"u","__proto__":{"admin":true}}' })
  t.equal(poisoned.statusCode, 400, 'prototype poisoning is still refused')
})

t.test('POST and PATCH answer, byte for byte, what GET answers (their JSON text is written from the record, 0726)', async (t) => {
  const { app } = await buildTestApp(t)
  const asGet = async (id: string): Promise<string> => {
    const r = await app.inject({ method: 'GET', url: `/v1/sessions/${id}?touch=false` })
    t.equal(r.statusCode, 200)
    return r.body
  }
  const payload = {
    user_id: 'textual',
    workspace_id: 'ws-1',
    therapeutic_goals: ['calm "quotes" \\ back', 'ünïcödé ✓ 😀', 'line\nbreak\ttab\u2028'],
    metadata: { '2': 'integer-like key', b: [1, 2.5, -0, 1e21, null, true], nested: { 'k"ey': 'v\u0001', empty: {} }, emoji: '👩‍💻', 'line\nkey': 1, 'sep\u2028key': 2, 'ctl\u0001"': '\ud800 lone' }
  }
  const created = await app.inject({ method: 'POST', url: '/v1/sessions', payload, headers: { 'idempotency-key': 'text-1' } })
  t.equal(created.statusCode, 201)
  t.match(created.headers['content-type'], /^application\/json; charset=utf-8$/)
  const id = json(created).id as string
  t.equal(created.body, await asGet(id), 'the create')
  t.same(json(created).metadata, payload.metadata, 'metadata as sent')
  const replayed = await app.inject({ method: 'POST', url: '/v1/sessions', payload, headers: { 'idempotency-key': 'text-1' } })
  t.equal(replayed.headers['idempotent-replayed'], 'true')
  t.equal(replayed.body, created.body, 'its Idempotency-Key replay')
  t.equal(replayed.headers.etag, created.headers.etag)
  t.equal(replayed.headers.location, created.headers.location)

  // (Messages name the patch by its position: a raw U+2028 in a message would break the TAP stream.)
  const patches = [{ metadata: { b: null, added: 'x\u2028y' } }, { state: 'paused' }, { therapeutic_goals: [] }, { state: 'paused' }]
  for (const [n, patch] of patches.entries()) {
    const patched = await app.inject({ method: 'PATCH', url: `/v1/sessions/${id}`, payload: patch })
    t.equal(patched.statusCode, 200, `PATCH ${n}`)
    t.match(patched.headers['content-type'], /^application\/json; charset=utf-8$/)
    t.equal(patched.headers.etag, `"${String(json(patched).version)}"`)
    t.equal(patched.body, await asGet(id), `PATCH ${n} answers what GET answers`)
  }
})
