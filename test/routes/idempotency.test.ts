import t from 'tap'
import { PLAINTEXT_STORAGE, buildTestApp, json, sleep } from '../helper.js'

const create = (key: string, payload: object) => ({ method: 'POST' as const, url: '/v1/sessions', payload, headers: { 'idempotency-key': key } })

t.test('the same Idempotency-Key replays the first response without creating again', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const first = await app.inject(create('k-1', { user_id: 'u1' }))
  const second = await app.inject(create('k-1', { user_id: 'u1' }))
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 201)
  t.same(json(second), json(first), 'same body')
  t.equal(second.headers.location, first.headers.location)
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.equal(await redis.zcard(keys.userSessions('u1')), 1, 'one session in the user index')
})

t.test('key order in the body does not matter; a different body is 422 and creates nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  await app.inject(create('k-2', { user_id: 'u1', kind: 'chat' }))
  t.equal((await app.inject(create('k-2', { kind: 'chat', user_id: 'u1' }))).statusCode, 201)
  const reused = await app.inject(create('k-2', { user_id: 'u1', kind: 'narrative' }))
  t.equal(reused.statusCode, 422)
  t.equal(json(reused).code, 'idempotency_key_reused')
  t.equal(await redis.zcard(keys.userSessions('u1')), 1)
})

t.test('concurrent requests with one key create one session', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const responses = await Promise.all(Array.from({ length: 20 }, async () => await app.inject(create('k-3', { user_id: 'u2' }))))
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([201]))
  t.equal(new Set(responses.map((r) => json(r).id)).size, 1, 'every response names the same session')
  t.equal(await redis.zcard(keys.userSessions('u2')), 1)
})

t.test('a retry after a first attempt that never answered reuses the reserved id', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  // Simulate a first attempt that reserved the key and whose write landed, but whose response was lost.
  const first = await app.inject(create('k-4', { user_id: 'u3' }))
  const recordKey = (await redis.keys(`global:*:${keys.everything().split(':')[2]}:idempotency:*`))[0]!
  await redis.hdel(recordKey, 'response')
  const retry = await app.inject(create('k-4', { user_id: 'u3' }))
  t.equal(retry.statusCode, 201)
  t.equal(json(retry).id, json(first).id)
  t.equal(await redis.zcard(keys.userSessions('u3')), 1)
})

t.test('an Idempotency-Key over 128 characters is 400; different keys create different sessions', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject(create('x'.repeat(129), { user_id: 'u' }))).statusCode, 400)
  const a = json(await app.inject(create('a', { user_id: 'u' })))
  const b = json(await app.inject(create('b', { user_id: 'u' })))
  t.not(a.id, b.id)
})

t.test('deleting a session deletes the record its create answers from: its content does not outlive it', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, PLAINTEXT_STORAGE)
  const first = await app.inject(create('k-privacy', { user_id: 'u5', metadata: { secret: 'private words' } }))
  const record = keys.idempotency((await redis.hget(keys.session(json(first).id), 'idempotency_digest'))!)
  t.match(await redis.hget(record, 'response'), 'private words', 'the record keeps the response while the session lives')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${json(first).id}` })).statusCode, 204)
  t.equal(await redis.exists(record), 0, 'the record is gone with the session')
  const again = await app.inject(create('k-privacy', { user_id: 'u5', metadata: { secret: 'private words' } }))
  t.equal(again.statusCode, 201)
  t.not(json(again).id, json(first).id, 'the key no longer replays what was deleted: it is a new create')
})

t.test('a create\'s record lives no longer than the session it made first lives (a short TTL caps it)', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const created = await app.inject(create('k-short', { user_id: 'u6', ttl_seconds: 60 }))
  const record = keys.idempotency((await redis.hget(keys.session(json(created).id), 'idempotency_digest'))!)
  const ttl = await redis.pttl(record)
  t.ok(ttl > 0 && ttl <= 60_000, `record TTL ${ttl} ms, session TTL 60 s`)
  const plain = await app.inject(create('k-long', { user_id: 'u6' }))
  const longTtl = await redis.pttl(keys.idempotency((await redis.hget(keys.session(json(plain).id), 'idempotency_digest'))!))
  t.ok(longTtl > 23 * 3600_000, 'a default session (24 h) keeps the 24 h replay window')
})

t.test('a session that expires takes the record its create answers from with it (the expiry sweep deletes it)', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1' })
  const created = await app.inject(create('k-expiring', { user_id: 'u7', metadata: { secret: 'private words' } }))
  const record = keys.idempotency((await redis.hget(keys.session(json(created).id), 'idempotency_digest'))!)
  // A record that would outlive its session (a session whose TTL was cut after its create).
  await redis.pexpire(record, 3_600_000)
  await sleep(1300)
  await app.expirySweeper.sweep()
  t.equal(await redis.exists(keys.session(json(created).id)), 0, 'the session expired')
  t.equal(await redis.exists(record), 0, 'and its create\'s record went with it')
})
