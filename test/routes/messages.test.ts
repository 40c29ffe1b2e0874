import t from 'tap'
import { buildTestApp, createSession, json } from '../helper.js'
import { patchState, finalizeSession, storedVersion } from '../session-state.js'

const post = (id: string, payload: object, headers: Record<string, string> = {}) =>
  ({ method: 'POST' as const, url: `/v1/sessions/${id}/messages`, payload, headers })

t.test('50 concurrent appends get seq exactly 1..50 and bump the version once each', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const responses = await Promise.all(Array.from({ length: 50 }, async (_, i) =>
    await app.inject(post(session.id, { role: 'user', content: `message ${i}` }))))
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([201]))
  const seqs = responses.map((r) => json(r).seq).sort((a, b) => a - b)
  t.same(seqs, Array.from({ length: 50 }, (_, i) => i + 1))
  t.equal(await storedVersion(redis, keys, session.id), 51)
  t.equal(await redis.hget(keys.session(session.id), 'message_seq'), '50')
  const listed = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages?limit=200` }))
  t.same(listed.messages.map((m: any) => m.seq), seqs, 'listed in seq order')
})

t.test('a message has the documented shape and the response carries the new etag', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const response = await app.inject(post(session.id, { role: 'assistant', content: 'hello', name: 'guide', metadata: { tokens: 3 } }))
  t.equal(response.statusCode, 201)
  t.equal(response.headers.etag, '"2"')
  const message = json(response)
  t.match(message, { seq: 1, role: 'assistant', content: 'hello', name: 'guide', metadata: { tokens: 3 } })
  t.match(message.id, /^[A-Za-z0-9_-]{24}$/)
  t.ok(Date.parse(message.created_at) > 0)
  const plain = json(await app.inject(post(session.id, { role: 'user', content: '' })))
  t.match(plain, { seq: 2, content: '', name: null, metadata: null })
})

t.test('a retry with the same Idempotency-Key stores one message', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const headers = { 'idempotency-key': 'append-1' }
  const first = await app.inject(post(session.id, { role: 'user', content: 'once' }, headers))
  const again = await Promise.all(Array.from({ length: 10 }, async () =>
    await app.inject(post(session.id, { role: 'user', content: 'once' }, headers))))
  t.equal(first.statusCode, 201)
  for (const response of again) {
    t.equal(response.statusCode, 201)
    t.same(json(response), json(first))
  }
  t.equal(await redis.llen(keys.messages(session.id)), 1)
  t.equal(await storedVersion(redis, keys, session.id), 2)
  t.equal(again[0]!.headers['idempotent-replayed'], 'true', 'a replay says so')
  t.equal(again[0]!.headers.etag, first.headers.etag, 'and carries the etag of the first response')

  // The record is part of the append itself (one atomic change in the session's slot), kept in the session.
  t.equal(await redis.hlen(keys.sessionIdempotency(session.id)), 1)
  const reused = await app.inject(post(session.id, { role: 'user', content: 'something else' }, headers))
  t.equal(reused.statusCode, 422)
  t.equal(json(reused).code, 'idempotency_key_reused')
  t.equal(await redis.llen(keys.messages(session.id)), 1, 'nothing stored for the refused request')
  const otherKey = await app.inject(post(session.id, { role: 'user', content: 'once' }, { 'idempotency-key': 'append-2' }))
  t.equal(json(otherKey).seq, 2, 'another key is another message')
  t.equal(await redis.hget(keys.session(session.id), 'message_seq'), '2')
})

t.test('only the newest MAX_MESSAGES_PER_SESSION messages are kept, documents too', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { MAX_MESSAGES_PER_SESSION: '5' })
  const session = await createSession(app, { kind: 'chat' })
  for (let i = 1; i <= 8; i++) await app.inject(post(session.id, { role: 'user', content: `m${i}` }))
  const listed = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages` }))
  t.same(listed.messages.map((m: any) => m.content), ['m4', 'm5', 'm6', 'm7', 'm8'])
  t.same(listed.messages.map((m: any) => m.seq), [4, 5, 6, 7, 8])
  t.equal(await redis.llen(keys.messages(session.id)), 5)
})

t.test('pages follow seq in both orders, and after/cursor continue where a page ended', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const ids: string[] = []
  for (let i = 1; i <= 7; i++) ids.push(json(await app.inject(post(session.id, { role: 'user', content: `m${i}` }))).id)
  const list = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages?${query}` })
    t.equal(response.statusCode, 200, query)
    return json(response)
  }
  const walk = async (order: string) => {
    const pages: number[][] = []
    let cursor: string | null = null
    do {
      const page: any = await list(`order=${order}&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`)
      pages.push(page.messages.map((m: any) => m.seq))
      cursor = page.next_cursor
    } while (cursor !== null)
    return pages
  }
  t.same(await walk('asc'), [[1, 2, 3], [4, 5, 6], [7]])
  t.same(await walk('desc'), [[7, 6, 5], [4, 3, 2], [1]])
  t.same((await list(`after=${ids[2]}&limit=2`)).messages.map((m: any) => m.seq), [4, 5], 'after = after it in ascending order')
  t.same((await list(`after=${ids[2]}&order=desc`)).messages.map((m: any) => m.seq), [2, 1], 'after = after it in descending order')
  t.equal((await list('limit=7')).next_cursor, null, 'no cursor when the page holds the rest')
  const unknown = 'AAAAAAAAAAAAAAAAAAAAAAAA'
  t.same((await list(`after=${unknown}&limit=2`)).messages.map((m: any) => m.seq), [1, 2], 'an id no longer stored is older than every kept message')
  t.same((await list(`after=${unknown}&order=desc`)).messages, [])
  const firstPage = await list('limit=2')
  t.same((await list(`cursor=${firstPage.next_cursor}`)).messages.map((m: any) => m.seq), [3, 4, 5, 6, 7])
  const scenesCursor = Buffer.from(JSON.stringify(['scenes', 2])).toString('base64url')
  for (const query of ['cursor=not%20a%20cursor', `cursor=${scenesCursor}`, 'order=sideways', 'limit=201', 'limit=0', `after=${ids[0]}&cursor=${firstPage.next_cursor}`]) {
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages?${query}` })
    t.equal(response.statusCode, 400, query)
    t.equal(json(response).code, 'validation_failed', query)
  }
  t.match(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages?cursor=${scenesCursor}` })),
    { detail: /malformed cursor/, errors: [{ path: 'querystring/cursor', message: 'malformed cursor' }] }, 'a cursor of another listing is malformed here')
})

t.test('clearing the history is one change and seq keeps counting', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  for (let i = 0; i < 3; i++) await app.inject(post(session.id, { role: 'user', content: 'x' }))
  const cleared = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/messages` })
  t.equal(cleared.statusCode, 204)
  t.equal(cleared.headers.etag, '"5"')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/messages` })).messages, [])
  t.equal(await redis.exists(keys.messages(session.id)), 0)
  const again = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/messages` })
  t.equal(again.statusCode, 204)
  t.equal(await storedVersion(redis, keys, session.id), 5, 'clearing an empty history changes nothing')
  t.equal(json(await app.inject(post(session.id, { role: 'user', content: 'next' }))).seq, 4)
})

t.test('a paused or finalized session refuses messages and stores nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  await patchState(app, session.id, 'paused')
  const version = await storedVersion(redis, keys, session.id)
  const refused = await app.inject(post(session.id, { role: 'user', content: 'hi' }))
  t.equal(refused.statusCode, 409)
  t.equal(json(refused).code, 'session_not_writable')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/messages` })).statusCode, 409)
  t.equal(await storedVersion(redis, keys, session.id), version)
  await patchState(app, session.id, 'active')
  await finalizeSession(app, session.id)
  const finalized = await storedVersion(redis, keys, session.id)
  t.equal(json(await app.inject(post(session.id, { role: 'user', content: 'hi' }))).code, 'session_finalized')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/messages` })).statusCode, 409)
  t.equal(await redis.exists(keys.messages(session.id)), 0)
  t.equal(await storedVersion(redis, keys, session.id), finalized)
})

t.test('an if-match that is not the current version is 412 and stores nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const stale = await app.inject(post(session.id, { role: 'user', content: 'hi' }, { 'if-match': '"7"' }))
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 1 })
  t.equal(await redis.exists(keys.messages(session.id)), 0)
  t.equal((await app.inject(post(session.id, { role: 'user', content: 'hi' }, { 'if-match': '"1"' }))).statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/messages`, headers: { 'if-match': '"1"' } })).statusCode, 412)
  t.equal(await redis.llen(keys.messages(session.id)), 1)
})

t.test('bad messages are 400 problems and store nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'chat' })
  const cases: Array<[string, unknown]> = [
    ['unknown role', { role: 'bot', content: 'x' }],
    ['content over 32768 characters', { role: 'user', content: 'x'.repeat(32_769) }],
    ['content not a string', { role: 'user', content: 42 }],
    ['missing content', { role: 'user' }],
    ['server-owned seq', { role: 'user', content: 'x', seq: 9 }],
    ['metadata over 16 KiB', { role: 'user', content: 'x', metadata: { blob: 'x'.repeat(17_000) } }],
    ['empty name', { role: 'user', content: 'x', name: '' }]
  ]
  for (const [name, payload] of cases) {
    const response = await app.inject(post(session.id, payload as object))
    t.equal(response.statusCode, 400, name)
    t.equal(json(response).code, 'validation_failed', name)
  }
  t.equal((await app.inject(post(session.id, { role: 'user', content: 'x'.repeat(32_768) }))).statusCode, 201, '32768 characters is fine')
  t.equal(await redis.llen(keys.messages(session.id)), 1)
})

t.test('messages of a missing session are 404 session_not_found', async (t) => {
  const { app } = await buildTestApp(t)
  const missing = 'AAAAAAAAAAAAAAAAAAAAAAAA'
  for (const method of ['GET', 'DELETE'] as const) {
    t.equal(json(await app.inject({ method, url: `/v1/sessions/${missing}/messages` })).code, 'session_not_found')
  }
  t.equal(json(await app.inject(post(missing, { role: 'user', content: 'x' }))).code, 'session_not_found')
})
