import t from 'tap'
import { PLAINTEXT_STORAGE, buildTestApp, createSession, json, sleep } from '../helper.js'
import { patchState, finalizeSession, storedVersion, storedEvents } from '../session-state.js'

const put = (id: string, type: string, payload: object, headers: Record<string, string> = {}) =>
  ({ method: 'PUT' as const, url: `/v1/sessions/${id}/narrative/${type}`, payload, headers })

t.test('a stored context reads back alone and among all contexts, and each write bumps the version', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const stored = await app.inject(put(session.id, 'world_state', { data: { weather: 'rain', list: [1, {}, []] } }))
  t.equal(stored.statusCode, 200)
  t.equal(stored.headers.etag, '"2"')
  const context = json(stored)
  t.match(context, { context_type: 'world_state', data: { weather: 'rain', list: [1, {}, []] } })
  t.equal(Date.parse(context.expires_at) - Date.parse(context.updated_at), 14_400_000, 'NARRATIVE_TTL_SECONDS by default')
  await app.inject(put(session.id, 'emotional_state', { data: { mood: 'calm' } }))
  const replaced = json(await app.inject(put(session.id, 'world_state', { data: { weather: 'sun' } })))
  t.same(replaced.data, { weather: 'sun' }, 'a PUT replaces the context')

  const one = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/world_state` })
  t.equal(one.statusCode, 200)
  t.same(json(one), replaced)
  const all = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative` }))
  t.same(Object.keys(all.contexts).sort(), ['emotional_state', 'world_state'])
  t.same(all.contexts.world_state, { data: replaced.data, updated_at: replaced.updated_at, expires_at: replaced.expires_at })
  t.equal(await storedVersion(redis, keys, session.id), 4, 'reads are not changes')
  const missing = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/story_variables` })
  t.equal(missing.statusCode, 404)
  t.equal(json(missing).code, 'not_found')
})

t.test('the stored format is the one the summary and export read', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, PLAINTEXT_STORAGE)
  const session = await createSession(app)
  const context = json(await app.inject(put(session.id, 'story_variables', { data: { chapter: 2 } })))
  const stored = JSON.parse((await redis.hget(keys.narrative(session.id), 'story_variables'))!)
  t.same(stored, { data: { chapter: 2 }, updated_at: Date.parse(context.updated_at), expires_at: Date.parse(context.expires_at) })
})

t.test('contexts expire on their own TTL while the session lives on', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { NARRATIVE_TTL_SECONDS: '1' })
  const session = await createSession(app, { kind: 'narrative' })
  const byDefault = json(await app.inject(put(session.id, 'world_state', { data: { a: 1 } })))
  t.equal(Date.parse(byDefault.expires_at) - Date.parse(byDefault.updated_at), 1000, 'NARRATIVE_TTL_SECONDS applies')
  await app.inject(put(session.id, 'emotional_state', { data: { b: 1 }, ttl_seconds: 1 }))
  await app.inject(put(session.id, 'story_variables', { data: { c: 1 }, ttl_seconds: 3600 }))
  await sleep(1100)
  for (const type of ['world_state', 'emotional_state']) {
    const gone = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/${type}` })
    t.equal(gone.statusCode, 404, type)
    t.equal(json(gone).code, 'not_found', type)
  }
  t.same(Object.keys(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative` })).contexts), ['story_variables'])
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative/world_state` })).statusCode, 404, 'an expired context cannot be deleted')
  await app.inject(put(session.id, 'character_relationships', { data: {}, ttl_seconds: 3600 }))
  t.same((await redis.hkeys(keys.narrative(session.id))).sort(), ['character_relationships', 'story_variables'], 'writes prune expired contexts')
  t.equal((await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` })).statusCode, 200, 'the session lives on')
})

t.test('a longer ttl is accepted and capped at the session, and contexts go with the session', async (t) => {
  const { app, allKeys } = await buildTestApp(t, { SESSION_TTL_SECONDS: '2' })
  const session = await createSession(app, { kind: 'narrative' })
  const stored = await app.inject(put(session.id, 'world_state', { data: { a: 1 }, ttl_seconds: 86_400 }))
  t.equal(stored.statusCode, 200)
  const sessionNow = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}?touch=false` }))
  t.equal(json(stored).expires_at, sessionNow.expires_at, 'capped at the session\'s expiry')
  await sleep(2100)
  const gone = await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/world_state` })
  t.equal(gone.statusCode, 404)
  t.equal(json(gone).code, 'session_not_found')
  await app.expirySweeper.sweep()
  t.same((await allKeys()).filter((key) => key.includes(`{${session.id}}`)), [], 'no key of the session is left after the expiry sweep')
})

t.test('a context is not extended when the session\'s expiry slides', async (t) => {
  const { app } = await buildTestApp(t, { SESSION_TTL_SECONDS: '3' })
  const session = await createSession(app, { kind: 'narrative' })
  await app.inject(put(session.id, 'world_state', { data: { a: 1 } }))
  await sleep(1500)
  const slid = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}` }))
  const context = json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/world_state` }))
  t.ok(Date.parse(context.expires_at) < Date.parse(slid.expires_at), 'the session now outlives the context')
  await sleep(1700)
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/world_state` })).code, 'not_found')
})

t.test('deleting one context or all of them; deleting all is one change', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  await app.inject(put(session.id, 'world_state', { data: {} }))
  await app.inject(put(session.id, 'emotional_state', { data: {} }))
  await app.inject(put(session.id, 'story_variables', { data: {} }))
  const one = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative/world_state` })
  t.equal(one.statusCode, 204)
  t.equal(one.headers.etag, '"5"')
  t.equal(json(await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative/world_state` })).code, 'not_found')
  const all = await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative` })
  t.equal(all.statusCode, 204)
  t.equal(all.headers.etag, '"6"')
  t.same(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative` })), { contexts: {} })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative` })).statusCode, 204)
  t.equal(await storedVersion(redis, keys, session.id), 6, 'deleting nothing changes nothing')
  const events = await storedEvents(redis, keys, session.id)
  t.equal(events.filter((e) => e.type === 'narrative.updated').length, 5, 'one narrative.updated per change')
  t.match(events.at(-1), { type: 'narrative.updated', version: 6, data: { action: 'deleted' } })
})

t.test('a paused or finalized session refuses narrative writes', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  await app.inject(put(session.id, 'world_state', { data: { a: 1 } }))
  await patchState(app, session.id, 'paused')
  const version = await storedVersion(redis, keys, session.id)
  for (const request of [
    put(session.id, 'world_state', { data: { a: 2 } }),
    { method: 'DELETE' as const, url: `/v1/sessions/${session.id}/narrative/world_state` },
    { method: 'DELETE' as const, url: `/v1/sessions/${session.id}/narrative` }
  ]) {
    const refused = await app.inject(request)
    t.equal(refused.statusCode, 409, request.method)
    t.equal(json(refused).code, 'session_not_writable', request.method)
  }
  t.same(json(await app.inject({ method: 'GET', url: `/v1/sessions/${session.id}/narrative/world_state` })).data, { a: 1 }, 'a paused session still reads')
  t.equal(await storedVersion(redis, keys, session.id), version)
  await patchState(app, session.id, 'active')
  await finalizeSession(app, session.id)
  const finalized = await storedVersion(redis, keys, session.id)
  t.equal(json(await app.inject(put(session.id, 'world_state', { data: {} }))).code, 'session_finalized')
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative` })).statusCode, 409)
  t.equal(await storedVersion(redis, keys, session.id), finalized)
})

t.test('an if-match that is not the current version is 412 and stores nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  const stale = await app.inject(put(session.id, 'world_state', { data: { a: 1 } }, { 'if-match': '"2"' }))
  t.equal(stale.statusCode, 412)
  t.match(json(stale), { code: 'version_conflict', current_version: 1 })
  t.equal(await redis.exists(keys.narrative(session.id)), 0)
  const current = await app.inject(put(session.id, 'world_state', { data: { a: 1 } }, { 'if-match': '"1"' }))
  t.equal(current.statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${session.id}/narrative`, headers: { 'if-match': 'W/"1"' } })).statusCode, 412)
  t.equal(await redis.hlen(keys.narrative(session.id)), 1)
})

t.test('bad narrative requests are 400 problems and store nothing', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  const cases: Array<[string, string, unknown]> = [
    ['upper-case type', 'World_State', { data: {} }],
    ['type starting with a digit', '1world', { data: {} }],
    ['type over 64 characters', 'w'.repeat(65), { data: {} }],
    ['data not an object', 'world_state', { data: [1] }],
    ['missing data', 'world_state', {}],
    ['data over 64 KiB', 'world_state', { data: { blob: 'x'.repeat(66_000) } }],
    ['ttl as a string', 'world_state', { data: {}, ttl_seconds: '10' }],
    ['ttl of zero', 'world_state', { data: {}, ttl_seconds: 0 }],
    ['unknown field', 'world_state', { data: {}, expires_at: 'never' }]
  ]
  for (const [name, type, payload] of cases) {
    const response = await app.inject(put(session.id, type, payload as object))
    t.equal(response.statusCode, 400, name)
    t.equal(json(response).code, 'validation_failed', name)
  }
  t.equal(await redis.exists(keys.narrative(session.id)), 0)
  t.equal(await storedVersion(redis, keys, session.id), 1)
})

t.test('the summary shows the live narrative contexts and counts of scenes, choices and messages', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const base = `/v1/sessions/${session.id}`
  const context = json(await app.inject(put(session.id, 'world_state', { data: { weather: 'rain' } })))
  await app.inject(put(session.id, 'emotional_state', { data: { mood: 'calm' }, ttl_seconds: 1 }))
  for (const scene of ['intro', 'forest']) await app.inject({ method: 'POST', url: `${base}/scenes`, payload: { scene_id: scene } })
  await app.inject({ method: 'POST', url: `${base}/choices`, payload: { scene_id: 'forest', choice_id: 'left' } })
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: `${base}/messages`, payload: { role: 'user', content: `m${i}` } })
  await sleep(1100)
  const summary = await app.inject({ method: 'GET', url: `${base}/summary` })
  t.equal(summary.statusCode, 200)
  t.same(json(summary).narrative, { world_state: { data: { weather: 'rain' }, updated_at: context.updated_at, expires_at: context.expires_at } }, 'the expired context is left out')
  t.same(json(summary).counts, { scenes: 2, choices: 1, messages: 3 })
  t.equal(json(summary).session.current_scene_id, 'forest')
})
