import t from 'tap'
import { PLAINTEXT_STORAGE, buildTestApp, createSession, json } from '../helper.js'
import { patchState, finalizeSession, storedVersion } from '../session-state.js'

const enter = (id: string, sceneId: string, headers: Record<string, string> = {}) =>
  ({ method: 'POST' as const, url: `/v1/sessions/${id}/scenes`, payload: { scene_id: sceneId }, headers })
const choose = (id: string, payload: object, headers: Record<string, string> = {}) =>
  ({ method: 'POST' as const, url: `/v1/sessions/${id}/choices`, payload, headers })

t.test('entering a scene appends it to the history and makes it the current scene', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const first = await app.inject(enter(session.id, 'intro'))
  t.equal(first.statusCode, 201)
  t.equal(first.headers.etag, '"2"')
  t.match(json(first), { scene_id: 'intro', index: 0 })
  t.ok(Date.parse(json(first).entered_at) > 0)
  t.match(json(await app.inject(enter(session.id, 'forest'))), { scene_id: 'forest', index: 1 })
  t.match(json(await app.inject(enter(session.id, 'intro'))), { scene_id: 'intro', index: 2 }, 'a scene may be entered again')
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).current_scene_id, 'intro')
  t.equal(await storedVersion(redis, keys, session.id), 4)
  const stored = (await redis.lrange(keys.scenes(session.id), 0, -1)).map((raw) => JSON.parse(raw))
  t.same(stored.map((entry) => Object.keys(entry).sort()), Array(3).fill(['entered_at', 'id', 'index', 'scene_id']), 'the stored format')
  t.same(stored.map((entry) => entry.index), [0, 1, 2])
})

t.test('the current scene is always the newest entry of the history, under concurrent entries', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const responses = await Promise.all(Array.from({ length: 20 }, async (_, i) => await app.inject(enter(session.id, `scene-${i}`))))
  t.same(responses.map((r) => json(r).index).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i))
  const current = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).current_scene_id
  const newest = JSON.parse((await redis.lindex(keys.scenes(session.id), -1))!)
  t.equal(newest.scene_id, current)
  t.equal(newest.index, 19)
  t.equal(await storedVersion(redis, keys, session.id), 21)
})

t.test('scene and choice histories page oldest first with an opaque cursor', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  for (let i = 0; i < 5; i++) {
    await app.inject(enter(session.id, `s${i}`))
    await app.inject(choose(session.id, { scene_id: `s${i}`, choice_id: `c${i}` }))
  }
  for (const [list, field] of [['scenes', 'scene_id'], ['choices', 'choice_id']] as const) {
    const pages: string[][] = []
    let cursor: string | null = null
    do {
      const response: any = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/${list}?limit=2${cursor === null ? '' : `&cursor=${cursor}`}` })
      t.equal(response.statusCode, 200)
      pages.push(json(response)[list].map((entry: any) => entry[field]))
      cursor = json(response).next_cursor
    } while (cursor !== null)
    const prefix = field === 'scene_id' ? 's' : 'c'
    t.same(pages, [[`${prefix}0`, `${prefix}1`], [`${prefix}2`, `${prefix}3`], [`${prefix}4`]], list)
  }
  for (const query of ['cursor=%21%21', 'cursor=bm90LWEtbnVtYmVy', 'limit=0', 'limit=201', 'extra=1']) {
    const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes?${query}` })
    t.equal(response.statusCode, 400, query)
    t.equal(json(response).code, 'validation_failed', query)
  }
})

t.test('histories keep their newest 1000 entries and indexes stay stable', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  let cursor: string | null = null
  for (let i = 0; i < 1003; i++) {
    const response = await app.inject(enter(session.id, `s${i}`))
    if (i === 0) t.equal(response.statusCode, 201)
    if (i === 1) {
      const page = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes?limit=1` }))
      cursor = page.next_cursor // points at index 1, which trimming removes
    }
  }
  t.equal(await redis.llen(keys.scenes(session.id)), 1000)
  const first = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes?limit=2` }))
  t.same(first.scenes.map((s: any) => [s.index, s.scene_id]), [[3, 's3'], [4, 's4']])
  const fromTrimmed = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes?limit=1&cursor=${cursor}` }))
  t.equal(fromTrimmed.scenes[0].index, 3, 'a cursor into trimmed entries continues at the oldest kept')
  const next = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes?limit=2&cursor=${first.next_cursor}` }))
  t.same(next.scenes.map((s: any) => s.index), [5, 6])
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).current_scene_id, 's1002')
})

t.test('a choice must name the current scene, else 409 scene_mismatch with the current one', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, PLAINTEXT_STORAGE)
  const session = await createSession(app, { kind: 'narrative' })
  const none = await app.inject(choose(session.id, { scene_id: 'intro', choice_id: 'go' }))
  t.equal(none.statusCode, 409)
  t.match(json(none), { code: 'scene_mismatch', current_scene_id: null })
  await app.inject(enter(session.id, 'intro'))
  await app.inject(enter(session.id, 'forest'))
  const stale = await app.inject(choose(session.id, { scene_id: 'intro', choice_id: 'go' }))
  t.equal(stale.statusCode, 409)
  t.match(json(stale), { code: 'scene_mismatch', current_scene_id: 'forest' })
  t.equal(await redis.exists(keys.choices(session.id)), 0, 'nothing stored')
  const made = await app.inject(choose(session.id, { scene_id: 'forest', choice_id: 'left', label: 'Take the left path', data: { courage: 2, path: [] } }))
  t.equal(made.statusCode, 201)
  t.equal(made.headers.etag, '"4"')
  t.match(json(made), { scene_id: 'forest', choice_id: 'left', label: 'Take the left path', data: { courage: 2, path: [] }, index: 0 })
  t.match(json(await app.inject(choose(session.id, { scene_id: 'forest', choice_id: 'back' }))), { label: null, data: null, index: 1 })
  const stored = JSON.parse((await redis.lindex(keys.choices(session.id), 0))!)
  t.same(Object.keys(stored).sort(), ['choice_id', 'data', 'id', 'index', 'label', 'made_at', 'scene_id'], 'the stored format')
})

t.test('a retry with the same Idempotency-Key enters the scene or makes the choice once', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const scenes = await Promise.all(Array.from({ length: 5 }, async () => await app.inject(enter(session.id, 'intro', { 'idempotency-key': 'enter-1' }))))
  t.equal(new Set(scenes.map((r) => r.body)).size, 1, 'every response is the same entry')
  const choices = await Promise.all(Array.from({ length: 5 }, async () =>
    await app.inject(choose(session.id, { scene_id: 'intro', choice_id: 'go' }, { 'idempotency-key': 'choose-1' }))))
  t.same(new Set(choices.map((r) => r.statusCode)), new Set([201]))
  t.equal(new Set(choices.map((r) => r.body)).size, 1)
  t.equal(await redis.llen(keys.scenes(session.id)), 1)
  t.equal(await redis.llen(keys.choices(session.id)), 1)

  // A retry after other changes still answers what the first attempt did, and changes nothing.
  const first = json(await app.inject(enter(session.id, 'forest', { 'idempotency-key': 'enter-2' })))
  await app.inject(enter(session.id, 'lake'))
  const retried = await app.inject(enter(session.id, 'forest', { 'idempotency-key': 'enter-2' }))
  t.equal(retried.statusCode, 201)
  t.equal(retried.headers['idempotent-replayed'], 'true')
  t.same(json(retried), first)
  t.equal(await redis.llen(keys.scenes(session.id)), 3)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).current_scene_id, 'lake', 'a replay does not move the current scene')
  t.equal(await storedVersion(redis, keys, session.id), 5)
})

t.test('a paused or finalized session refuses scenes and choices', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  await app.inject(enter(session.id, 'intro'))
  await patchState(app, session.id, 'paused')
  const version = await storedVersion(redis, keys, session.id)
  for (const request of [enter(session.id, 'forest'), choose(session.id, { scene_id: 'intro', choice_id: 'go' })]) {
    const refused = await app.inject(request)
    t.equal(refused.statusCode, 409, request.url)
    t.equal(json(refused).code, 'session_not_writable', request.url)
  }
  await patchState(app, session.id, 'error')
  t.equal(json(await app.inject(enter(session.id, 'forest'))).code, 'session_not_writable')
  t.equal(await storedVersion(redis, keys, session.id), version + 1, 'only the PATCH to error changed the session')
  await patchState(app, session.id, 'active')
  await finalizeSession(app, session.id)
  const finalized = await storedVersion(redis, keys, session.id)
  t.equal(json(await app.inject(enter(session.id, 'forest'))).code, 'session_finalized')
  t.equal(json(await app.inject(choose(session.id, { scene_id: 'intro', choice_id: 'go' }))).code, 'session_finalized')
  t.equal(await redis.llen(keys.scenes(session.id)), 1)
  t.equal(await redis.exists(keys.choices(session.id)), 0)
  t.equal(await storedVersion(redis, keys, session.id), finalized)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/scenes` })).scenes.length, 1, 'histories still read')
})

t.test('an if-match that is not the current version is 412 and stores nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const stale = await app.inject(enter(session.id, 'intro', { 'if-match': '"3"' }))
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 1 })
  t.equal(await redis.exists(keys.scenes(session.id)), 0)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).current_scene_id, null)
  t.equal((await app.inject(enter(session.id, 'intro', { 'if-match': '"1"' }))).statusCode, 201)
  t.equal((await app.inject(choose(session.id, { scene_id: 'intro', choice_id: 'go' }, { 'if-match': '"1"' }))).statusCode, 412)
  t.equal(await redis.exists(keys.choices(session.id)), 0)
})

t.test('bad scene and choice bodies are 400 problems and store nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const cases: Array<[string, string, unknown]> = [
    ['empty scene_id', 'scenes', { scene_id: '' }],
    ['scene_id not a string', 'scenes', { scene_id: 7 }],
    ['server-owned index', 'scenes', { scene_id: 'a', index: 3 }],
    ['missing choice_id', 'choices', { scene_id: 'a' }],
    ['choice data not an object', 'choices', { scene_id: 'a', choice_id: 'b', data: 'x' }],
    ['choice data over 16 KiB', 'choices', { scene_id: 'a', choice_id: 'b', data: { blob: 'x'.repeat(17_000) } }],
    ['unknown choice field', 'choices', { scene_id: 'a', choice_id: 'b', made_at: 'now' }]
  ]
  for (const [name, list, payload] of cases) {
    const response = await app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/${list}`, payload: payload as object })
    t.equal(response.statusCode, 400, name)
    t.equal(json(response).code, 'validation_failed', name)
  }
  t.equal(await redis.exists(keys.scenes(session.id), keys.choices(session.id)), 0)
})

t.test('a scene id holding a NUL reads back whole, in the session and in its user\'s listing', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  t.equal((await app.inject(enter(session.id, 'a\u0000b'))).statusCode, 201)
  const read = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })
  t.equal(read.statusCode, 200)
  t.equal(json(read).current_scene_id, 'a\u0000b')
  const listed = await app.inject({ method: 'GET', url: `/v1/users/${session.user_id}/sessions` })
  t.equal(listed.statusCode, 200)
  t.same(json(listed).sessions.map((s: { current_scene_id: string | null }) => s.current_scene_id), ['a\u0000b'])
})
