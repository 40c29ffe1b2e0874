import t from 'tap'
import { PassThrough } from 'node:stream'
import { adminKey, authEnv, bearer, buildTestApp, createSession, json, serviceKey, userToken } from '../helper.js'
import { utcDate } from '../../src/domain/time.js'

const admin = bearer(adminKey)
const service = bearer(serviceKey)
const today = (): string => utcDate(Date.now())

async function trail (app: any, query = ''): Promise<any> {
  const response = await app.inject({ url: `/v1/admin/audit${query}`, headers: admin })
  if (response.statusCode !== 200) throw new Error(`audit read failed: ${response.statusCode} ${response.body}`)
  return json(response)
}

t.test('every successful change is in the day\'s trail: time, principal, action, session id, request id', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const before = Date.now()
  const created = await createSession(app, { user_id: 'alice' }, { ...service, 'x-request-id': 'req-create-1' })
  const mine = await createSession(app, { user_id: 'alice' }, bearer(await userToken('alice')))
  const deleted = await app.inject({ method: 'DELETE', url: `/v1/sessions/${created.id}`, headers: { ...admin, 'x-request-id': 'req-delete-1' } })
  t.equal(deleted.statusCode, 204)

  const { entries, next_cursor: next } = await trail(app)
  t.equal(next, null)
  t.match(entries, [
    { principal: 'service:backend', action: 'POST /v1/sessions', status: 201, session_id: created.id, request_id: 'req-create-1' },
    { principal: 'user:alice', action: 'POST /v1/sessions', status: 201, session_id: mine.id },
    { principal: 'admin:ops', action: 'DELETE /v1/sessions/:id', status: 204, session_id: created.id, request_id: 'req-delete-1' }
  ])
  t.equal(entries.length, 3)
  for (const entry of entries) {
    const at = Date.parse(entry.at)
    t.ok(at >= before - 1000 && at <= Date.now() + 1000, `${entry.at} is the time of the change`)
  }
  t.same(await trail(app, `?date=${today()}`), { entries, next_cursor: null }, 'date defaults to today (UTC)')
})

t.test('reads, refused requests and replayed creates are not in the trail', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const headers = { ...service, 'idempotency-key': 'create-once' }
  const created = await createSession(app, { user_id: 'u1' }, headers)
  t.equal((await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u1' }, headers })).headers['idempotent-replayed'], 'true')
  await app.inject({ url: `/v1/sessions/${created.id}`, headers: service })
  await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u1', nope: 1 }, headers: service })
  await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u1' } })
  await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'bob' }, headers: bearer(await userToken('alice')) })
  await app.inject({ method: 'DELETE', url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: service })
  const { entries } = await trail(app)
  t.equal(entries.length, 1)
  t.match(entries[0], { action: 'POST /v1/sessions', session_id: created.id })
})

t.test('a day\'s trail is kept AUDIT_RETENTION_SECONDS and holds no request content', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { ...authEnv, AUDIT_RETENTION_SECONDS: '3600' })
  await createSession(app, { user_id: 'u1', metadata: { note: 'private words' } }, service)
  t.equal((await trail(app)).entries.length, 1)
  const key = keys.audit(today())
  const ttl = await redis.ttl(key)
  t.ok(ttl > 3500 && ttl <= 3600, `ttl ${ttl}`)
  const raw = JSON.stringify(await redis.xrange(key, '-', '+'))
  t.notMatch(raw, /private words/)
})

t.test('the trail pages with cursor and limit, oldest first', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) ids.push((await createSession(app, { user_id: 'u1' }, service)).id)
  const seen: string[] = []
  let query = '?limit=2'
  let pages = 0
  for (;;) {
    const page = await trail(app, query)
    pages++
    t.ok(page.entries.length <= 2)
    seen.push(...page.entries.map((e: any) => e.session_id))
    if (page.next_cursor === null) break
    query = `?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`
  }
  t.equal(pages, 3)
  t.same(seen, ids)
})

t.test('a day without changes is empty; malformed dates, cursors and limits are 400', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  t.same(await trail(app, '?date=2020-01-01'), { entries: [], next_cursor: null })
  for (const query of ['?date=2026-02-30', '?date=20260101', '?date=today', '?cursor=abc', '?cursor=1-2-3', '?limit=0', '?limit=201', '?limit=x', '?other=1']) {
    const response = await app.inject({ url: `/v1/admin/audit${query}`, headers: admin })
    t.equal(response.statusCode, 400, query)
    t.equal(json(response).code, 'validation_failed', query)
  }
})

t.test('a failed audit write is logged and does not fail the change', async (t) => {
  const chunks: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
  const { app, redis, keys } = await buildTestApp(t, { ...authEnv, LOG_LEVEL: 'error' }, { logStream })
  // A key of the wrong type makes the append fail.
  await redis.set(keys.audit(today()), 'not a stream', 'EX', 60)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u1' }, headers: service })
  t.equal(response.statusCode, 201)
  await app.repos.audit.flush()
  t.match(chunks.join(''), /could not append audit entries; keeping them for the next attempt/)
  // Once the trail can be written again, the kept entry lands.
  await redis.del(keys.audit(today()))
  t.match((await trail(app)).entries, [{ action: 'POST /v1/sessions', session_id: json(response).id }])
})

t.test('a change through a percent-encoded path is audited under its route template', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const response = await app.inject({ method: 'POST', url: '/%761/sessions', payload: { user_id: 'u1' }, headers: service })
  t.equal(response.statusCode, 201)
  t.match((await trail(app)).entries, [{ action: 'POST /v1/sessions', session_id: json(response).id }])
})

t.test('changes under a session are audited with its id and the route template', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const alice = bearer(await userToken('alice'))
  const session = await createSession(app, { user_id: 'alice', kind: 'onboarding' }, service)
  t.equal((await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/3`, headers: alice, payload: { name: 'Ada' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/messages`, headers: alice, payload: { role: 'user', content: 'hello' } })).statusCode, 201)
  const { entries } = await trail(app)
  t.match(entries.slice(1), [
    { principal: 'user:alice', action: 'PUT /v1/sessions/:id/steps/:n', status: 200, session_id: session.id },
    { principal: 'user:alice', action: 'POST /v1/sessions/:id/messages', status: 201, session_id: session.id }
  ])
})

t.test('users are in the stored trail only by pseudonym; erasing a user unlinks them from it', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, authEnv)
  const alice = bearer(await userToken('alice'))
  const mine = await createSession(app, { user_id: 'alice' }, alice)
  await app.inject({ method: 'PATCH', url: `/v1/sessions/${mine.id}`, headers: alice, payload: { metadata: { a: 1 } } })
  await createSession(app, { user_id: 'bob' }, bearer(await userToken('bob')))
  const before = (await trail(app)).entries
  t.same(before.map((e: any) => e.principal), ['user:alice', 'user:alice', 'user:bob'], 'while they exist, the trail names them')
  const stored = JSON.stringify(await redis.xrange(keys.audit(today()), '-', '+'))
  t.notMatch(stored, 'alice', 'the stored trail never holds the sub')
  t.match(stored, /user~[A-Za-z0-9_-]{16}/)

  t.equal((await app.inject({ method: 'DELETE', url: '/v1/users/alice/sessions', headers: service })).statusCode, 200)
  const after = (await trail(app)).entries
  const [first, second, third, erasure] = after.map((e: any) => e.principal)
  t.match(first, /^user~[A-Za-z0-9_-]{16}$/, 'an erased user is a pseudonym')
  t.equal(second, first, 'the same pseudonym for all of their entries')
  t.equal(third, 'user:bob', 'others are unchanged')
  t.equal(erasure, 'service:backend')
  t.same(after.map((e: any) => [e.action, e.session_id]), before.map((e: any) => [e.action, e.session_id]).concat([['DELETE /v1/users/:user_id/sessions', null]]), 'the entries themselves stay, in order')
  t.equal(await redis.exists(keys.userPseudonym('alice')), 0)
})
