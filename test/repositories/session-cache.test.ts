// The read cache across instances (CACHE_MODE=lru): a change made through one instance is never served
// stale by another beyond the invalidation delay, also across a reconnect of the subscriber.
import t from 'tap'
import { authEnv, bearer, buildTestApp, createSession, json, serviceKey, sleep, userToken, type TestApp } from '../helper.js'

async function cacheHits (app: TestApp['app']): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body
  return Number(/^sessiond_cache_requests_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0)
}

/** How long until `read` shows version `version` (ms), polling every millisecond. */
async function untilVersion (read: () => Promise<number>, version: number, withinMs = 2000): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < withinMs) {
    if (await read() === version) return performance.now() - started
    await sleep(1)
  }
  throw new Error(`version ${version} not seen within ${withinMs} ms`)
}

t.test('a cached session is served from memory, and dropped as soon as another instance changes it', async (t) => {
  const one = await buildTestApp(t, { CACHE_MODE: 'lru' })
  const two = await buildTestApp(t, { CACHE_MODE: 'lru', KEY_ENV: one.config.keys.env })
  const session = await createSession(two.app)
  const readOne = async (): Promise<number> => json(await one.app.inject({ url: `/v1/sessions/${session.id}` })).version
  t.equal(await readOne(), 1)
  const hitsBefore = await cacheHits(one.app)
  t.equal(await readOne(), 1)
  t.equal(await cacheHits(one.app), hitsBefore + 1, 'the second read is a hit')
  const delays: number[] = []
  for (let version = 2; version <= 21; version++) {
    t.equal((await two.app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { metadata: { v: version } } })).statusCode, 200)
    delays.push(await untilVersion(readOne, version))
  }
  delays.sort((a, b) => a - b)
  t.comment(`invalidation delay over 20 changes: median ${delays[10]!.toFixed(2)} ms, max ${delays[19]!.toFixed(2)} ms`)
  t.ok(delays[19]! < 50, 'never served stale for more than 50 ms after the change was answered')
  const read = json(await one.app.inject({ url: `/v1/sessions/${session.id}` }))
  t.same(read.metadata, { v: 21 }, 'and the document is the new one')
})

t.test('after the subscriber reconnects, nothing cached before is served', async (t) => {
  const one = await buildTestApp(t, { CACHE_MODE: 'lru' })
  const two = await buildTestApp(t, { KEY_ENV: one.config.keys.env })
  const session = await createSession(two.app)
  const readOne = async (): Promise<number> => json(await one.app.inject({ url: `/v1/sessions/${session.id}` })).version
  await readOne()
  await readOne()
  // Cut every Pub/Sub connection; while it is gone a change is made that no announcement reaches.
  await (one.redis as unknown as { call: (...args: string[]) => Promise<unknown> }).call('CLIENT', 'KILL', 'TYPE', 'pubsub')
  await two.app.inject({ method: 'PATCH', url: `/v1/sessions/${session.id}`, payload: { metadata: { missed: true } } })
  const delay = await untilVersion(readOne, 2)
  t.comment(`stale-read window across a subscriber reconnect: ${delay.toFixed(2)} ms`)
  t.ok(delay < 50, 'the change is seen at once: nothing is served from the cache while the subscriber is away')
  await sleep(300)
  await readOne()
  const hits = await cacheHits(one.app)
  t.equal(await readOne(), 2)
  t.equal(await cacheHits(one.app), hits + 1, 'once reconnected, the cache serves again')
})

t.test('a hit repeats the owner check and never serves an expired session', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, CACHE_MODE: 'lru', SESSION_TTL_SECONDS: '1' })
  const session = await createSession(app, { user_id: 'alice' }, bearer(serviceKey))
  const alice = bearer(await userToken('alice'))
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}?touch=false`, headers: alice })).statusCode, 200)
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}?touch=false`, headers: alice })).statusCode, 200)
  const mallory = await app.inject({ url: `/v1/sessions/${session.id}?touch=false`, headers: bearer(await userToken('mallory')) })
  t.equal(mallory.statusCode, 404)
  t.equal(json(mallory).code, 'session_not_found')
  await sleep(1100)
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}?touch=false`, headers: alice })).statusCode, 404, 'expired: not served from memory')
})

t.test('a read that would slide the expiry goes to Redis (the cache cannot slide it)', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { CACHE_MODE: 'lru' })
  const session = await createSession(app, { ttl_seconds: 60 })
  await app.inject({ url: `/v1/sessions/${session.id}` })
  const before = await redis.pexpiretime(keys.session(session.id))
  await sleep(650)
  const read = json(await app.inject({ url: `/v1/sessions/${session.id}` }))
  t.ok(Date.parse(read.expires_at) > Date.parse(session.expires_at), 'the answer shows the slid expiry')
  t.ok(await redis.pexpiretime(keys.session(session.id)) > before, 'and Redis has it')
})

t.test('CACHE_MAX_ENTRIES bounds the cache; the oldest goes first', async (t) => {
  const { app } = await buildTestApp(t, { CACHE_MODE: 'lru', CACHE_MAX_ENTRIES: '2' })
  const sessions = [await createSession(app), await createSession(app), await createSession(app)]
  for (const s of sessions) await app.inject({ url: `/v1/sessions/${s.id}` })
  const text = (await app.inject({ url: '/metrics' })).body
  t.match(text, /^sessiond_cache_evictions_total 1$/m)
  const hits = await cacheHits(app)
  await app.inject({ url: `/v1/sessions/${sessions[0]!.id}` })
  t.equal(await cacheHits(app), hits, 'the first one was evicted: a miss')
})

t.test('CACHE_TTL_MS bounds how long a stored read is served, even with no announcement at all', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { CACHE_MODE: 'lru', CACHE_TTL_MS: '300' })
  const session = await createSession(app)
  await app.inject({ url: `/v1/sessions/${session.id}?touch=false` })
  // A change nobody announces (written straight to Redis, as a restore or an operator would).
  await redis.hset(keys.session(session.id), 'workspace_id', 'behind-its-back')
  t.equal(json(await app.inject({ url: `/v1/sessions/${session.id}?touch=false` })).workspace_id, null, 'served from memory within the TTL')
  await sleep(350)
  t.equal(json(await app.inject({ url: `/v1/sessions/${session.id}?touch=false` })).workspace_id, 'behind-its-back', 'read again from Redis after it')
})

t.test('an instance reads its own writes at once, before their announcement comes back', async (t) => {
  const { app } = await buildTestApp(t, { CACHE_MODE: 'lru' })
  const session = await createSession(app, { kind: 'onboarding', total_steps: 100 })
  for (let step = 1; step <= 100; step++) {
    await app.inject({ url: `/v1/sessions/${session.id}?touch=false` })
    await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/${step}`, payload: { step } })
    const read = json(await app.inject({ url: `/v1/sessions/${session.id}?touch=false` }))
    if (read.version !== step + 1) {
      t.fail(`step ${step}: read version ${read.version} after the write`)
      return
    }
  }
  t.pass('every read after a write saw it')
})
