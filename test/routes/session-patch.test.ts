import t, { type Test as Tap } from 'tap'
import type { Redis } from 'ioredis'
import { PLAINTEXT_STORAGE, authEnv, bearer, buildTestApp, createSession, json, sleep, userToken } from '../helper.js'
import { storedEvents } from '../session-state.js'

const patch = (id: string, payload: object, headers: Record<string, string> = {}) =>
  ({ method: 'PATCH' as const, url: `/v1/sessions/${id}`, payload, headers })

t.test('state follows the state machine; completed is not reachable by PATCH', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app, { state: 'initializing' })
  const toActive = await app.inject(patch(s.id, { state: 'active' }))
  t.equal(toActive.statusCode, 200)
  t.equal(json(toActive).state, 'active')
  t.equal(json(toActive).version, 2)
  t.equal(toActive.headers.etag, '"2"')
  const toInit = await app.inject(patch(s.id, { state: 'initializing' }))
  t.equal(toInit.statusCode, 409)
  t.equal(json(toInit).code, 'invalid_transition')
  const toCompleted = await app.inject(patch(s.id, { state: 'completed' }))
  t.equal(toCompleted.statusCode, 409)
  t.equal(json(toCompleted).code, 'invalid_transition')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).version, 2, 'refused changes change nothing')
})

t.test('a PATCH to the current state is a no-op that does not bump the version', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  const same = await app.inject(patch(s.id, { state: 'active' }))
  t.equal(same.statusCode, 200)
  t.equal(json(same).version, 1)
})

t.test('goals equal to the current ones and metadata that merges to what is stored change nothing; a difference bumps once', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app, { therapeutic_goals: ['focus', 'sleep'], metadata: { plan: 'pro', nested: { a: 1 } } })
  const same = await app.inject(patch(s.id, { therapeutic_goals: ['focus', 'sleep'], metadata: { plan: 'pro', nested: { a: 1 }, gone: null } }))
  t.equal(same.statusCode, 200)
  t.equal(json(same).version, 1, 'no change, no new version')
  const reordered = await app.inject(patch(s.id, { therapeutic_goals: ['sleep', 'focus'] }))
  t.equal(json(reordered).version, 2, 'goals are a list: another order is a change')
  t.same(json(reordered).therapeutic_goals, ['sleep', 'focus'])
  const merged = await app.inject(patch(s.id, { metadata: { nested: { b: 2 } } }))
  t.equal(json(merged).version, 3)
  t.same(json(merged).metadata, { plan: 'pro', nested: { a: 1, b: 2 } })
})

t.test('crisis pauses an active session in the same change, and blocks resuming', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const s = await createSession(app)
  const crisis = await app.inject(patch(s.id, { safety_level: 'crisis' }))
  t.equal(crisis.statusCode, 200)
  t.match(json(crisis), { state: 'paused', safety_level: 'crisis', version: 2 })
  const resume = await app.inject(patch(s.id, { state: 'active' }))
  t.equal(resume.statusCode, 409)
  t.equal(json(resume).code, 'safety_hold')
  const lowered = await app.inject(patch(s.id, { safety_level: 'high', state: 'active' }))
  t.equal(lowered.statusCode, 200)
  t.match(json(lowered), { state: 'active', safety_level: 'high', version: 3 })
  const events = await storedEvents(redis, keys, s.id)
  t.same(events.filter((e) => e.version === 2).map((e) => [e.type, e.data]), [
    ['session.updated', { changed: ['state', 'safety_level'] }],
    ['session.state_changed', { from: 'active', to: 'paused' }],
    ['session.paused', { reason: 'safety' }]
  ], 'the crisis change recorded its events under one version, the pause for safety')
})

t.test('crisis while paused keeps it paused; crisis with a resume request is a safety hold', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  await app.inject(patch(s.id, { state: 'paused' }))
  t.equal(json(await app.inject(patch(s.id, { safety_level: 'crisis' }))).state, 'paused')
  t.equal(json(await app.inject(patch(s.id, { state: 'active', safety_level: 'crisis' }))).code, 'safety_hold')
})

t.test('metadata is an RFC 7396 merge patch; goals and ttl are replaced', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app, { metadata: { a: 1, nested: { x: 1, y: 2 }, drop: true } })
  const r = await app.inject(patch(s.id, { metadata: { b: 2, nested: { y: null, z: 3 }, drop: null }, therapeutic_goals: ['sleep'], ttl_seconds: 3600 }))
  t.equal(r.statusCode, 200)
  t.same(json(r).metadata, { a: 1, b: 2, nested: { x: 1, z: 3 } })
  t.same(json(r).therapeutic_goals, ['sleep'])
  t.equal(json(r).ttl_seconds, 3600)
  t.ok(Math.abs(Date.parse(json(r).expires_at) - Date.now() - 3600_000) < 5000, 'expiry slid to the new ttl')
  t.equal(json(r).version, 2, 'one PATCH is one change')
})

t.test('server-owned fields and bad values are 400 and change nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  for (const body of [{ version: 9 }, { user_id: 'other' }, { current_scene_id: 'x' }, { ttl_seconds: '600' }, {}, { state: 'sleeping' }]) {
    const r = await app.inject(patch(s.id, body))
    t.equal(r.statusCode, 400, JSON.stringify(body))
  }
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).version, 1)
})

t.test('if-match: a stale version is 412 with current_version and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  const ok = await app.inject(patch(s.id, { therapeutic_goals: ['a'] }, { 'if-match': '"1"' }))
  t.equal(ok.statusCode, 200)
  const stale = await app.inject(patch(s.id, { therapeutic_goals: ['b'] }, { 'if-match': '"1"' }))
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 2 })
  t.same(json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).therapeutic_goals, ['a'])
  t.equal((await app.inject(patch(s.id, { therapeutic_goals: ['c'] }, { 'if-match': 'garbage' }))).statusCode, 400)
  const del = await app.inject({ method: 'DELETE', url: `/v1/sessions/${s.id}`, headers: { 'if-match': '"1"' } })
  t.equal(del.statusCode, 412, 'delete honours if-match too')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${s.id}`, headers: { 'if-match': '"2"' } })).statusCode, 204)
})

t.test('30 concurrent PATCHes with the same if-match: exactly one wins', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  const responses = await Promise.all(Array.from({ length: 30 }, async (_, i) =>
    await app.inject(patch(s.id, { metadata: { writer: i } }, { 'if-match': '"1"' }))))
  const codes = responses.map((r) => r.statusCode)
  t.equal(codes.filter((c) => c === 200).length, 1)
  t.equal(codes.filter((c) => c === 412).length, 29)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).version, 2)
})

t.test('concurrent PATCHes without if-match all apply, one version each', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app)
  const responses = await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await app.inject(patch(s.id, { metadata: { [`k${i}`]: i } }))))
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([200]))
  const final = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` }))
  t.equal(final.version, 21)
  t.equal(Object.keys(final.metadata).length, 20, 'no lost update')
})

t.test('a document stored in an older shape is upgraded on read and rewritten by the next change', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, PLAINTEXT_STORAGE)
  const s = await createSession(app)
  await redis.hdel(keys.session(s.id), 'therapeutic_goals', 'safety_level', 'workspace_id')
  await redis.hset(keys.session(s.id), 'schema_version', '1', 'goals', 'sleep, focus')
  const read = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` }))
  t.match(read, { schema_version: 2, therapeutic_goals: ['sleep', 'focus'], safety_level: 'none', workspace_id: null })
  await app.inject(patch(s.id, { metadata: { touched: true } }))
  const stored = await redis.hgetall(keys.session(s.id))
  t.equal(stored.schema_version, '2')
  t.equal(stored.therapeutic_goals, '["sleep","focus"]')
})

/** Script calls sent about the session `id` (not the commands the scripts run), as MONITOR sees them. */
async function scriptCallsOn (t: Tap, redis: Redis, sessionKey: string): Promise<string[][]> {
  const monitor = await redis.monitor()
  t.teardown(() => monitor.disconnect())
  const sent: string[][] = []
  monitor.on('monitor', (_time: string, args: string[], source: string) => { if (source !== 'lua' && args.includes(sessionKey)) sent.push(args) })
  await sleep(20)
  return sent
}

t.test('a PATCH plans from what this instance last saw: one round trip when that is current, two when another instance moved the session, nothing lost (0722)', async (t) => {
  const { app, redis, keys, config } = await buildTestApp(t)
  const other = await buildTestApp(t, { KEY_ENV: config.keys.env })
  const s = await createSession(app, { metadata: { a: 1 } })
  const sent = await scriptCallsOn(t, redis, keys.session(s.id))

  const first = await app.inject(patch(s.id, { metadata: { b: 2 } }))
  await sleep(20)
  t.equal(first.statusCode, 200)
  t.same(json(first).metadata, { a: 1, b: 2 })
  t.equal(sent.length, 2, 'nothing remembered yet: read, then write')

  sent.length = 0
  t.equal((await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).statusCode, 200)
  t.equal((await app.inject(patch(s.id, { metadata: { b: 3 } }))).statusCode, 200)
  await sleep(20)
  t.equal(sent.length, 2, 'a GET, then a PATCH in one script call: the last PATCH\'s answer was current')
  t.equal((await app.inject(patch(s.id, { metadata: { b: 2 } }))).statusCode, 200)
  await sleep(20)
  t.equal(sent.length, 3, 'and so is the next PATCH\'s')

  t.equal((await other.app.inject(patch(s.id, { metadata: { c: 3 } }))).statusCode, 200)
  await sleep(20)
  sent.length = 0
  const second = await app.inject(patch(s.id, { metadata: { d: 4 } }))
  await sleep(20)
  t.equal(second.statusCode, 200)
  t.same(json(second).metadata, { a: 1, b: 2, c: 3, d: 4 }, 'merged over the other instance\'s change')
  t.equal(json(second).version, 6)
  t.equal(sent.length, 2, 'the stale answer carried the session: the retry needed no read')

  sent.length = 0
  t.equal((await app.inject(patch(s.id, { metadata: { e: 5 } }))).statusCode, 200)
  await sleep(20)
  t.equal(sent.length, 1, 'and the next PATCH is one round trip again')
})

t.test('what an instance last saw never refuses a PATCH nor makes one a no-op: the session as it is decides (0722)', async (t) => {
  const { app, config } = await buildTestApp(t)
  const other = await buildTestApp(t, { KEY_ENV: config.keys.env })
  const s = await createSession(app)
  t.equal(json(await app.inject(patch(s.id, { metadata: { seen: 1 } }))).version, 2, 'this instance last saw version 2, active')
  // The other instance pauses it for safety.
  t.equal(json(await other.app.inject(patch(s.id, { safety_level: 'crisis' }))).state, 'paused')
  const resume = await app.inject(patch(s.id, { state: 'active' }))
  t.equal(resume.statusCode, 409, 'active → active looked like nothing to change here; the session is held for safety')
  t.equal(json(resume).code, 'safety_hold')
  // The other instance sets the metadata this one is about to send: nothing changes, no version.
  t.equal(json(await other.app.inject(patch(s.id, { metadata: { x: 1 } }))).version, 4)
  const same = await app.inject(patch(s.id, { metadata: { x: 1 } }))
  t.equal(same.statusCode, 200)
  t.equal(json(same).version, 4, 'the metadata already held the value: no new version')
  t.same(json(same).metadata, { seen: 1, x: 1 })
  // A stale if-match is 412 even where this instance last saw that version.
  t.equal(json(await app.inject(patch(s.id, { metadata: { w: 0 } }))).version, 5, 'seen: version 5')
  t.equal((await other.app.inject(patch(s.id, { metadata: { y: 2 } }))).statusCode, 200)
  const stale = await app.inject(patch(s.id, { metadata: { z: 3 } }, { 'if-match': '"5"' }))
  t.equal(stale.statusCode, 412)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).version, 6, 'refused: nothing written')
})

t.test('what an instance saw of one user\'s session is never used for another user\'s PATCH (0722)', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const owner = bearer(await userToken('seen-owner'))
  const s = await createSession(app, { user_id: 'seen-owner', metadata: { mine: true } }, owner)
  t.equal((await app.inject(patch(s.id, { metadata: { seen: 1 } }, owner))).statusCode, 200)
  const intruder = await app.inject(patch(s.id, { metadata: { taken: true } }, bearer(await userToken('seen-intruder'))))
  t.equal(intruder.statusCode, 404)
  const read = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}`, headers: owner }))
  t.same(read.metadata, { mine: true, seen: 1 })
  t.equal(read.version, 2)
})
