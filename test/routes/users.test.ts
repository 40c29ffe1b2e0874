import t from 'tap'
import { buildTestApp, createSession, json, sleep } from '../helper.js'

t.test('a user listing is newest first, filtered, and paginated with an opaque cursor', async (t) => {
  const { app } = await buildTestApp(t)
  const sessions: Array<{ id: string, created_at: string }> = []
  for (let i = 0; i < 7; i++) {
    sessions.push(await createSession(app, { user_id: 'lister', kind: i % 2 === 0 ? 'chat' : 'onboarding' }))
  }
  const created = sessions.map((s) => s.id)
  // Newest first: created_at descending, and among sessions created in the same millisecond (a create is
  // one round trip, so consecutive ones can share it) id descending.
  const newestFirst = [...sessions]
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((s) => s.id)
  await createSession(app, { user_id: 'someone-else' })
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const url: string = `/v1/users/lister/sessions?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`
    const page = json(await app.inject({ method: 'GET', url }))
    t.ok(page.sessions.length <= 3)
    seen.push(...page.sessions.map((s: any) => s.id))
    cursor = page.next_cursor
  } while (cursor !== null)
  t.same(seen, newestFirst, 'every session once, newest first')
  t.same([...seen].sort(), [...created].sort(), 'the sessions created, each once')

  const chats = json(await app.inject({ method: 'GET', url: '/v1/users/lister/sessions?kind=chat' }))
  t.equal(chats.sessions.length, 4)
  t.ok(chats.sessions.every((s: any) => s.kind === 'chat'))
  await app.inject({ method: 'PATCH', url: `/v1/sessions/${created[1]}`, payload: { state: 'paused' } })
  const paused = json(await app.inject({ method: 'GET', url: '/v1/users/lister/sessions?state=paused' }))
  t.same(paused.sessions.map((s: any) => s.id), [created[1]])
})

t.test('bad listing parameters are 400', async (t) => {
  const { app } = await buildTestApp(t)
  for (const query of ['limit=201', 'limit=0', 'cursor=not-a-cursor', 'state=sleeping', 'kind=x']) {
    const r = await app.inject({ method: 'GET', url: `/v1/users/u/sessions?${query}` })
    t.equal(r.statusCode, 400, query)
    t.equal(json(r).code, 'validation_failed')
  }
})

t.test('an expired session answers 404 and leaves the listing; its index entry is pruned', async (t) => {
  const { app, redis, keys, allKeys } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1' })
  const s = await createSession(app, { user_id: 'fleeting' })
  const keep = await createSession(app, { user_id: 'fleeting', ttl_seconds: 600 })
  await sleep(1300)
  t.equal((await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).statusCode, 404)
  const list = json(await app.inject({ method: 'GET', url: '/v1/users/fleeting/sessions' }))
  t.same(list.sessions.map((x: any) => x.id), [keep.id])
  t.same(await redis.zrange(keys.userSessions('fleeting'), '0', '-1'), [keep.id], 'the stale entry is gone from the index')
  await app.expirySweeper.sweep()
  t.notOk((await allKeys()).some((k) => k.includes(`{${s.id}}`)), 'the sweep removed every key of the expired session')
})

t.test('the per-user index lives no longer than its newest session can, and listings prune what is gone', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1', MAX_LIFETIME_SECONDS: '2' })
  for (let i = 0; i < 5; i++) await createSession(app, { user_id: 'churn' })
  const last = await createSession(app, { user_id: 'churn' })
  t.equal(await redis.zcard(keys.userSessions('churn')), 6)
  const indexExpiry = await redis.pexpiretime(keys.userSessions('churn'))
  t.ok(indexExpiry <= Date.parse(last.absolute_expires_at) + 60_000 + 50, 'the index dies a minute after the newest session\'s absolute deadline')
  t.ok(indexExpiry >= Date.parse(last.absolute_expires_at) + 30_000, 'and never less than half a minute after it (a burst of creates extends it once: USER_INDEX_EXTEND_SLACK_MS)')
  await sleep(1300)
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/churn/sessions' })).sessions, [])
  t.equal(await redis.zcard(keys.userSessions('churn')), 0, 'the listing removed every entry of a session that is gone')
})

t.test('reads slide the expiry; touch=false does not; the absolute lifetime caps it', async (t) => {
  const { app } = await buildTestApp(t, { SESSION_TTL_SECONDS: '2', MAX_LIFETIME_SECONDS: '3' })
  const s = await createSession(app)
  await sleep(1200)
  const untouched = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}?touch=false` }))
  t.equal(untouched.expires_at, s.expires_at)
  await sleep(0)
  const touched = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` }))
  t.ok(Date.parse(touched.expires_at) > Date.parse(s.expires_at), 'slid forward')
  t.equal(touched.version, 1, 'sliding is not a change')
  await sleep(1200)
  const capped = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` }))
  t.equal(capped.expires_at, capped.absolute_expires_at, 'never past absolute_expires_at')
  await sleep(1000)
  t.equal((await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}` })).statusCode, 404, 'gone at the absolute deadline')
})

t.test('erasure removes every session of the user and every key of theirs, and nothing of others', async (t) => {
  const { app, allKeys, keys } = await buildTestApp(t)
  const mine: any[] = []
  for (let i = 0; i < 4; i++) mine.push(await createSession(app, { user_id: 'erase-me' }, { 'idempotency-key': `k${i}` }))
  await app.inject({ method: 'PATCH', url: `/v1/sessions/${mine[0].id}`, payload: { metadata: { a: 1 } } })
  await app.inject({ method: 'POST', url: `/v1/sessions/${mine[1].id}/messages`, payload: { role: 'user', content: 'hi' }, headers: { 'idempotency-key': 'm1' } })
  for (let i = 0; i < 2; i++) {
    const snapshot = await app.inject({ method: 'POST', url: '/v1/users/erase-me/progress', payload: { metrics: { calm: i } }, headers: { 'idempotency-key': `p${i}` } })
    t.equal(snapshot.statusCode, 201)
  }
  const other = await createSession(app, { user_id: 'keep-me' })
  const r = await app.inject({ method: 'DELETE', url: '/v1/users/erase-me/sessions' })
  t.equal(r.statusCode, 200)
  t.same(json(r), { deleted: 4 })
  const left = await allKeys()
  const hash = keys.userHash('erase-me')
  t.notOk(left.some((k) => mine.some((s) => k.includes(`{${s.id}}`)) || k.includes(hash)), 'no key of the erased user is left')
  t.notOk(left.some((k) => k.includes(':idempotency:') && !k.includes(keys.userHash('keep-me'))), 'their idempotency records are gone too')
  t.ok(left.some((k) => k.includes(`{${other.id}}`)), 'other users keep their sessions')
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/erase-me/sessions' })).sessions, [])
  t.same(json(await app.inject({ method: 'GET', url: '/v1/users/erase-me/progress' })).snapshots, [], 'progress snapshots are erased')
  t.same(json(await app.inject({ method: 'DELETE', url: '/v1/users/erase-me/sessions' })), { deleted: 0 })
})

t.test('the summary shows what exists so far', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await createSession(app, { kind: 'onboarding', total_steps: 4 })
  const r = await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}/summary` })
  t.equal(r.statusCode, 200)
  t.equal(r.headers.etag, '"1"')
  t.match(json(r), {
    session: { id: s.id, version: 1 },
    progress: { completed: 0, total: 4, percent: 0, completed_steps: [], next_step: 1, updated_at: null },
    steps: [],
    narrative: {},
    counts: { scenes: 0, choices: 0, messages: 0 }
  })
  t.equal((await app.inject({ method: 'GET', url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/summary' })).statusCode, 404)
})

t.test('erasure also removes the user\'s finalized results from the downstream stream', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const mine = await createSession(app, { user_id: 'gone', total_steps: 1 })
  const theirs = await createSession(app, { user_id: 'stays', total_steps: 1 })
  for (const s of [mine, theirs]) {
    await app.inject({ method: 'PUT', url: `/v1/sessions/${s.id}/steps/1`, payload: { a: 1 } })
    t.equal((await app.inject({ method: 'POST', url: `/v1/sessions/${s.id}/finalize`, payload: {} })).statusCode, 200)
  }
  t.equal(await redis.xlen(keys.finalizedStream()), 2)
  await app.inject({ method: 'DELETE', url: '/v1/users/gone/sessions' })
  const left = await redis.xrange(keys.finalizedStream(), '-', '+')
  t.same(left.map(([, f]) => f[f.indexOf('session_id') + 1]), [theirs.id])
})

t.test('where Redis is one server, POST session files the session in its user index in the same script (0721)', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const monitor = await redis.monitor()
  t.teardown(() => monitor.disconnect())
  const sent: string[][] = []
  monitor.on('monitor', (_time: string, args: string[], source: string) => { if (source !== 'lua') sent.push(args) })
  await sleep(20)
  const s = await createSession(app, { user_id: 'one-trip' })
  await sleep(20)
  const indexKey = keys.userSessions('one-trip')
  const reaching = sent.filter((args) => args.includes(indexKey))
  t.equal(reaching.length, 1, 'one command sent reaches the user index')
  t.ok(reaching[0]!.includes(keys.session(s.id)), 'and it is the one that writes the session')
  t.equal(await redis.zscore(indexKey, s.id), String(Date.parse(s.created_at)), 'filed under the session\'s own created_at')
  const again = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'one-trip' } })
  t.equal(again.statusCode, 201)
  t.same(json(await app.inject({ url: '/v1/users/one-trip/sessions' })).sessions.map((x: any) => x.id), [json(again).id, s.id])
})

t.test('a listing page is, byte for byte, the sessions as GET answers them (0726)', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const user = 'textual'
  const tricky = await createSession(app, {
    user_id: user,
    workspace_id: 'ws-1',
    therapeutic_goals: ['calm "quotes" \\ back', 'ünïcödé ✓ 😀', 'line\nbreak\ttab\u2028'],
    metadata: { '2': 'integer-like key', b: [1, 2.5, -0, 1e21, null, true], nested: { 'k"ey': 'v\u0001', empty: {} }, emoji: '👩‍💻', long: 'x'.repeat(300), 'line\nkey': 1, 'sep\u2028key': 2, 'ctl\u0001"': '\ud800 lone' }
  })
  const onboarding = await createSession(app, { user_id: user, kind: 'onboarding', total_steps: 1 })
  t.equal((await app.inject({ method: 'PUT', url: `/v1/sessions/${onboarding.id}/steps/1`, payload: { a: 1 } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: `/v1/sessions/${onboarding.id}/finalize` })).statusCode, 200)
  const paused = await createSession(app, { user_id: user, state: 'active', safety_level: 'moderate' })
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/sessions/${paused.id}`, payload: { state: 'paused' } })).statusCode, 200)
  // A scene id is free text where a restore wrote it; an older document takes the migration path.
  const scene = await createSession(app, { user_id: user })
  await redis.hset(keys.session(scene.id), 'current_scene_id', 'scène "one" \\ \u0007 end')
  const old = await createSession(app, { user_id: user })
  await redis.hset(keys.session(old.id), 'schema_version', '1', 'goals', 'calm, focus')
  await redis.hdel(keys.session(old.id), 'therapeutic_goals', 'safety_level', 'workspace_id')
  const plain = await createSession(app, { user_id: user })

  const newestFirst = [plain, old, scene, paused, onboarding, tricky]
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (a.id < b.id ? 1 : -1))
  const asGet = async (id: string): Promise<string> => {
    const r = await app.inject({ method: 'GET', url: `/v1/sessions/${id}?touch=false` })
    t.equal(r.statusCode, 200)
    return r.body
  }
  const gets = await Promise.all(newestFirst.map(async (s) => await asGet(s.id)))
  const whole = await app.inject({ method: 'GET', url: `/v1/users/${user}/sessions` })
  t.equal(whole.statusCode, 200)
  t.match(whole.headers['content-type'], /^application\/json; charset=utf-8$/)
  t.equal(whole.body, `{"sessions":[${gets.join(',')}],"next_cursor":null}`)
  t.same(JSON.parse(gets[newestFirst.findIndex((s) => s.id === old.id)]!).therapeutic_goals, ['calm', 'focus'], 'the old document is shown upgraded')
  t.same(JSON.parse(gets[newestFirst.findIndex((s) => s.id === tricky.id)]!).metadata['line\nkey'], 1, 'a key holding a line break is answered too')

  const first = await app.inject({ method: 'GET', url: `/v1/users/${user}/sessions?limit=4` })
  const cursor = json(first).next_cursor as string
  t.type(cursor, 'string')
  t.equal(first.body, `{"sessions":[${gets.slice(0, 4).join(',')}],"next_cursor":${JSON.stringify(cursor)}}`)
  const second = await app.inject({ method: 'GET', url: `/v1/users/${user}/sessions?limit=4&cursor=${cursor}` })
  t.equal(second.body, `{"sessions":[${gets.slice(4).join(',')}],"next_cursor":null}`)
})
