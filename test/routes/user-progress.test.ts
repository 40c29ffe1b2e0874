import t from 'tap'
import { buildTestApp, json, sleep } from '../helper.js'

const post = (userId: string, payload: object, headers: Record<string, string> = {}) =>
  ({ method: 'POST' as const, url: `/v1/users/${userId}/progress`, payload, headers })

t.test('a snapshot has the documented shape and defaults', async (t) => {
  const { app } = await buildTestApp(t)
  const created = await app.inject(post('alice', { metrics: { calm: 0.75, streak: 3 }, skills_developed: ['breathing'], milestones_achieved: 2 }))
  t.equal(created.statusCode, 201)
  const snapshot = json(created)
  t.match(snapshot, { user_id: 'alice', metrics: { calm: 0.75, streak: 3 }, skills_developed: ['breathing'], milestones_achieved: 2 })
  t.match(snapshot.id, /^[A-Za-z0-9_-]{24}$/)
  t.ok(Date.parse(snapshot.created_at) > 0)
  t.match(json(await app.inject(post('alice', { metrics: {} }))), { metrics: {}, skills_developed: [], milestones_achieved: 0 })
})

t.test('snapshots list newest first across pages, and latest is the newest', async (t) => {
  const { app } = await buildTestApp(t)
  const missing = await app.inject({ method: 'GET', url: '/v1/users/bob/progress/latest' })
  t.equal(missing.statusCode, 404)
  t.equal(json(missing).code, 'not_found')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/bob/progress' })), { snapshots: [], next_cursor: null })
  const created: any[] = []
  for (let i = 0; i < 7; i++) {
    created.push(json(await app.inject(post('bob', { metrics: { step: i } }))))
    if (i % 3 === 0) await sleep(5) // some snapshots share a millisecond, some do not
  }
  const listed: any[] = []
  let cursor: string | null = null
  do {
    const response: any = await app.inject({ method: 'GET', url: `/v1/users/bob/progress?limit=2${cursor === null ? '' : `&cursor=${cursor}`}` })
    t.equal(response.statusCode, 200)
    const page: any = json(response)
    t.ok(page.snapshots.length <= 2)
    listed.push(...page.snapshots)
    cursor = page.next_cursor
  } while (cursor !== null)
  t.same(listed.map((s) => s.id).sort(), created.map((s) => s.id).sort(), 'every snapshot exactly once')
  for (let i = 1; i < listed.length; i++) t.ok(listed[i - 1].created_at >= listed[i].created_at, 'newest first')
  t.equal(listed[0].created_at, created[6].created_at)
  const latest = json(await app.inject({ method: 'GET', url: '/v1/users/bob/progress/latest' }))
  t.same(latest, listed[0])
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/someone-else/progress' })).snapshots, [], 'per user')
  const bad = await app.inject({ method: 'GET', url: '/v1/users/bob/progress?cursor=bm9wZQ' })
  t.equal(bad.statusCode, 400)
})

t.test('snapshots past PROGRESS_RETENTION_SECONDS are gone, and keys carry the retention as TTL', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { PROGRESS_RETENTION_SECONDS: '2' })
  await app.inject(post('carol', { metrics: { a: 1 } }))
  const ttl = await redis.pttl(keys.userProgress('carol'))
  t.ok(ttl > 0 && ttl <= 2000, 'the index expires with the retention')
  t.ok(await redis.pttl(keys.userProgressDocs('carol')) > 0, 'the documents expire with the retention')
  await sleep(1200)
  const kept = json(await app.inject(post('carol', { metrics: { a: 2 } })))
  await sleep(1200)
  // The first snapshot is past the retention; the second is not; a write renews the keys' TTL.
  const listed = json(await app.inject({ method: 'GET', url: '/v1/users/carol/progress' }))
  t.same(listed.snapshots.map((s: any) => s.id), [kept.id])
  await app.inject(post('carol', { metrics: { a: 3 } }))
  t.equal(await redis.zcard(keys.userProgress('carol')), 2, 'the write pruned the expired snapshot')
  t.equal(await redis.hlen(keys.userProgressDocs('carol')), 2)
  await sleep(2100)
  t.equal((await app.inject({ method: 'GET', url: '/v1/users/carol/progress/latest' })).statusCode, 404)
})

t.test('a retry with the same Idempotency-Key records one snapshot', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const headers = { 'idempotency-key': 'snap-1' }
  const responses = await Promise.all(Array.from({ length: 5 }, async () => await app.inject(post('dave', { metrics: { a: 1 } }, headers))))
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([201]))
  t.equal(new Set(responses.map((r) => json(r).id)).size, 1)
  t.equal(await redis.zcard(keys.userProgress('dave')), 1)
  const reused = await app.inject(post('dave', { metrics: { a: 2 } }, headers))
  t.equal(reused.statusCode, 422)
  t.equal(json(reused).code, 'idempotency_key_reused')
})

t.test('bad snapshots are 400 problems and store nothing', async (t) => {
  const { app, allKeys } = await buildTestApp(t)
  const cases: Array<[string, unknown]> = [
    ['missing metrics', {}],
    ['metric not a number', { metrics: { calm: 'high' } }],
    ['metric name with a space', { metrics: { 'two words': 1 } }],
    ['metrics not an object', { metrics: [1] }],
    ['negative milestones', { metrics: {}, milestones_achieved: -1 }],
    ['fractional milestones', { metrics: {}, milestones_achieved: 1.5 }],
    ['skills not strings', { metrics: {}, skills_developed: [1] }],
    ['server-owned created_at', { metrics: {}, created_at: '2020-01-01T00:00:00Z' }]
  ]
  for (const [name, payload] of cases) {
    const response = await app.inject(post('erin', payload as object))
    t.equal(response.statusCode, 400, name)
    t.equal(json(response).code, 'validation_failed', name)
  }
  t.same(await allKeys(), [])
})

t.test('progress keys are user-scoped, hashed, and never name the user', async (t) => {
  const { app, allKeys, redis } = await buildTestApp(t)
  await app.inject(post('frank@example.com', { metrics: { a: 1 } }))
  const keys = (await allKeys()).filter((key) => key.startsWith('user:'))
  t.equal(keys.length, 2)
  for (const key of keys) {
    t.notMatch(key, /frank/)
    t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
  }
})
