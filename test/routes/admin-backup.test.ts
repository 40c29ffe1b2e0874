// GET /v1/admin/export and POST /v1/admin/import on a real Redis (contract §9): a backup brings back
// every read exactly, a second import changes nothing, a bad line fails alone.
import t from 'tap'
import { Readable } from 'node:stream'
import type { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'
import { adminKey, authEnv, bearer, buildTestApp, buildTestStore, createSession, json, serviceKey, userToken, type TestApp } from '../helper.js'
import { makeFixture, readEverything } from '../backup-fixture.js'
import type { SessionEvent } from '../../src/domain/events.js'

const NDJSON = { 'content-type': 'application/x-ndjson' }

async function exportAll (app: FastifyInstance, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/v1/admin/export', headers })
  if (response.statusCode !== 200) throw new Error(`export: ${response.statusCode} ${response.body}`)
  return response.body
}

async function importAll (app: FastifyInstance, body: string | Readable, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'POST', url: '/v1/admin/import', payload: body, headers: { ...NDJSON, ...headers } })
}

const linesOf = (body: string): any[] => body.trim().split('\n').map((line) => JSON.parse(line))

/**
 * The keys a backup restores: not the daily stats, the audit trail, rate-limit counters, the finalized
 * stream, or the 24-hour Idempotency-Key records of creates (global, and their per-user list).
 */
async function restorable (test: Pick<TestApp, 'allKeys'>): Promise<string[]> {
  return (await test.allKeys({ bookkeeping: true })).filter((key) => !/:(stats|audit|ratelimit):|:finalized:\{stream\}|^(global|user):[^:]+:[^:]+:idempotency:/.test(key))
}

/** Every key with its type, contents and the time it expires at (to the second): what "changes nothing" compares. */
async function contents (redis: Redis, keys: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const type = await redis.type(key)
    let value: unknown
    if (type === 'hash') value = await redis.hgetall(key)
    else if (type === 'list') value = await redis.lrange(key, 0, -1)
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1', 'WITHSCORES')
    else value = await redis.get(key)
    // From the absolute expiry, not now + PTTL: that sum moves with the clock between two calls.
    out[key] = { type, value, expiresAt: Math.round(await redis.pexpiretime(key) / 1000) }
  }
  return out
}

async function eraseEverything (test: Pick<TestApp, 'allKeys' | 'redis'>): Promise<void> {
  const keys = await test.allKeys({ bookkeeping: true })
  if (keys.length > 0) await test.redis.del(...keys)
}

/** Live sessions as the per-slot counters say, summed straight from Redis. */
async function liveCounters (test: Pick<TestApp, 'allKeys' | 'redis'>): Promise<Record<string, number>> {
  const totals: Record<string, number> = {}
  for (const key of (await test.allKeys({ bookkeeping: true })).filter((k) => k.includes(':live:'))) {
    for (const [field, count] of Object.entries(await test.redis.hgetall(key))) totals[field] = (totals[field] ?? 0) + Number(count)
  }
  return Object.fromEntries(Object.entries(totals).filter(([, count]) => count !== 0))
}

t.test('export, erase everything, import into a new instance: every read answers exactly as before', async (t) => {
  const source = await buildTestApp(t)
  const fixture = await makeFixture(source.app)
  const before = await readEverything(source.app, fixture)
  const keysBefore = await contents(source.redis, await restorable(source))
  const countersBefore = await liveCounters(source)
  t.same(countersBefore, { 'k:onboarding': 2, 'k:narrative': 1, 'k:chat': 1, 'k:generic': 1, 's:completed': 1, 's:active': 2, 's:paused': 2 })

  const backup = await exportAll(source.app)
  const lines = linesOf(backup)
  t.match(lines[0], { format: 'sessiond-export', format_version: 1, source: { key_system: 'sessiond', key_env: source.config.keys.env } })
  t.equal(Date.parse(lines[0].exported_at) > Date.now() - 60_000, true, 'exported_at is now')
  // With encryption on (SESSIOND_TEST_ENCRYPTION=1) the end line also names the key ids the values are sealed under.
  const { key_ids: _keyIds, ...end } = lines.at(-1)
  t.same(end, { end: true, sessions: 5 })
  const sessionLines = lines.slice(1, -1)
  t.same(sessionLines.map((line) => line.session.id).sort(), [...fixture.ids].sort(), 'one line per session')
  const chat = sessionLines.find((line) => line.session.kind === 'chat')
  t.equal(chat.messages.length, 12)
  t.ok(chat.ttl_ms > 80_000_000 && chat.ttl_ms <= 86_400_000, 'the remaining TTL of the session')
  t.ok(Object.keys(chat.idempotency).length >= 12, 'the idempotency records of requests under it')
  const narrative = sessionLines.find((line) => line.session.kind === 'narrative')
  t.ok(narrative.narrative_ttl_ms.story_variables <= 600_000 && narrative.narrative_ttl_ms.story_variables > 590_000, 'each context with its remaining TTL')
  t.equal(narrative.scenes.length, 2)
  t.equal(narrative.choices.length, 2)
  t.ok(sessionLines.every((line) => line.session.keys === undefined && line.session.steps_saved === undefined), 'no bookkeeping of the source Redis')
  t.match(sessionLines.find((line) => line.session.id === fixture.finalized).finalized, /"finalized_at"|^\u0001v1\./, 'the finalized result (as stored: sealed with encryption on)')

  await eraseEverything(source)
  t.same(await restorable(source), [], 'nothing left (but what background flushes of this instance write)')

  // A new instance on the same keys: nothing of the old one is cached anywhere.
  const target = await buildTestApp(t, { KEY_ENV: source.config.keys.env })
  const imported = await importAll(target.app, backup)
  t.equal(imported.statusCode, 200)
  t.same(json(imported), { imported: 5, skipped: 0, failed: 0, complete: true, errors: [] })

  t.same(await readEverything(target.app, fixture), before, 'every read route answers as before')
  const keysAfter = await contents(target.redis, await restorable(target))
  t.same(Object.keys(keysAfter), Object.keys(keysBefore), 'the same keys, user indexes, expiry indexes and live counters included')
  for (const [key, after] of Object.entries(keysAfter) as Array<[string, any]>) {
    const was = keysBefore[key] as any
    t.ok(Math.abs(after.expiresAt - was.expiresAt) <= 1, `${key} expires when it did (${after.expiresAt}, was ${was.expiresAt})`)
  }
  t.same(await liveCounters(target), countersBefore, 'the live counters are rebuilt')
  const stats = json(await target.app.inject('/v1/admin/stats'))
  t.match(stats.live, { total: 5, by_kind: { onboarding: 2, narrative: 1, chat: 1, generic: 1 }, by_state: { completed: 1, active: 2, paused: 2 } })

  // The restored sessions go on where they were: versions, seqs, event ids, steps.
  const chatId = fixture.ids[2]!
  const chatBefore = (before[`/v1/sessions/${chatId}?touch=false`]!.body as any).version
  await target.app.inject({ method: 'PATCH', url: `/v1/sessions/${chatId}`, payload: { state: 'active' } })
  const message = json(await target.app.inject({ method: 'POST', url: `/v1/sessions/${chatId}/messages`, payload: { role: 'user', content: 'after the restore' } }))
  t.equal(message.seq, 13, 'seq continues')
  const replay = await target.app.inject({
    method: 'POST', url: `/v1/sessions/${chatId}/messages`, payload: { role: 'user', content: 'message 3 "quoted" \n line', metadata: { i: 3 } }, headers: { 'idempotency-key': 'message-3' }
  })
  t.equal(replay.headers['idempotent-replayed'], 'true', 'an Idempotency-Key of before the backup still replays')
  const events = await target.app.repos.events.after(chatId, { kind: 'any' }, chatBefore)
  t.same(events.events.map((event) => [event.type, event.version]), [['session.updated', chatBefore + 1], ['session.state_changed', chatBefore + 1], ['message.created', chatBefore + 2]])
  const step = json(await target.app.inject({ method: 'PUT', url: `/v1/sessions/${fixture.open}/steps/1`, payload: { answer: 'one' } }))
  t.same(step.progress.completed_steps, [1, 2, 5], 'the saved steps are known to progress')
  const finalize = await target.app.inject({ method: 'POST', url: `/v1/sessions/${fixture.open}/finalize`, payload: { allow_incomplete: true } })
  t.equal(finalize.statusCode, 200)
  t.same(Object.keys(json(finalize).context.steps), ['1', '2', '5'])
})

t.test('importing the same backup twice changes nothing', async (t) => {
  const test = await buildTestApp(t)
  const fixture = await makeFixture(test.app)
  const backup = await exportAll(test.app)
  const before = await contents(test.redis, await restorable(test))
  const reads = await readEverything(test.app, fixture)

  t.same(json(await importAll(test.app, backup)), { imported: 0, skipped: 5, failed: 0, complete: true, errors: [] }, 'over the live sessions: all skipped')
  t.same(await contents(test.redis, await restorable(test)), before, 'not a key changed')

  await eraseEverything(test)
  t.same(json(await importAll(test.app, backup)), { imported: 5, skipped: 0, failed: 0, complete: true, errors: [] })
  const restored = await contents(test.redis, await restorable(test))
  t.same(json(await importAll(test.app, backup)), { imported: 0, skipped: 5, failed: 0, complete: true, errors: [] }, 'the second import')
  t.same(await contents(test.redis, await restorable(test)), restored, 'not a key changed by the second import')
  t.same(await readEverything(test.app, fixture), reads)
})

t.test('a line that does not parse or validate fails alone, and nothing of it is written', async (t) => {
  const test = await buildTestApp(t)
  const a = await createSession(test.app, { user_id: 'good-a' })
  const b = await createSession(test.app, { user_id: 'bad-b' })
  const c = await createSession(test.app, { user_id: 'bad-c', kind: 'chat' })
  await test.app.inject({ method: 'POST', url: `/v1/sessions/${c.id}/messages`, payload: { role: 'user', content: 'hi' } })
  const d = await createSession(test.app, { user_id: 'good-d' })
  const [header, ...rest] = linesOf(await exportAll(test.app))
  const byId = Object.fromEntries(rest.filter((line) => line.session !== undefined).map((line) => [line.session.id, line]))
  await eraseEverything(test)

  const badState = { ...byId[b.id], session: { ...byId[b.id].session, state: 'sleeping' } }
  const badSeq = { ...byId[c.id], messages: [byId[c.id].messages[0].replace('"seq":1', '"seq":7')] }
  const body = [
    JSON.stringify(header),
    JSON.stringify(byId[a.id]),
    '{"session": {"id": "broken"',
    JSON.stringify(badState),
    JSON.stringify(badSeq),
    JSON.stringify({ ...byId[d.id], session: { ...byId[d.id].session, sneaky: 'x' } }),
    JSON.stringify(byId[d.id]),
    JSON.stringify({ end: true, sessions: 6 })
  ].join('\n') + '\n'
  const response = await importAll(test.app, body)
  t.equal(response.statusCode, 200)
  t.same(json(response), {
    imported: 2,
    skipped: 0,
    failed: 4,
    complete: true,
    errors: [
      { line: 3, code: 'invalid_json', detail: 'the line is not JSON' },
      { line: 4, code: 'invalid_session', detail: 'session.state is not valid' },
      { line: 5, code: 'invalid_session', detail: 'messages[0] must be a message with seq 1 (seqs end at session.message_seq)' },
      { line: 6, code: 'invalid_session', detail: 'session.sneaky is not a session field' }
    ]
  })
  const keys = await test.allKeys({ bookkeeping: true })
  t.notOk(keys.some((key) => key.includes(b.id) || key.includes(c.id)), 'nothing of the refused sessions')
  t.notOk(keys.some((key) => key.includes(test.keys.userHash('bad-b')) || key.includes(test.keys.userHash('bad-c'))), 'not even their user index')
  t.equal((await test.app.inject(`/v1/sessions/${a.id}`)).statusCode, 200)
  t.equal((await test.app.inject(`/v1/sessions/${d.id}`)).statusCode, 200)
  t.equal(json(await test.app.inject('/v1/users/good-d/sessions')).sessions.length, 1, 'the user index is rebuilt')
})

t.test('a backup that is not whole says so', async (t) => {
  const test = await buildTestApp(t)
  await createSession(test.app)
  await createSession(test.app)
  const lines = (await exportAll(test.app)).trim().split('\n')
  await eraseEverything(test)

  const truncated = json(await importAll(test.app, lines.slice(0, 2).join('\n')))
  t.same(truncated, { imported: 1, skipped: 0, failed: 0, complete: false, errors: [{ line: 3, code: 'truncated', detail: 'the input ends without its end line: the export it came from did not finish' }] })

  const failedExport = [...lines.slice(0, 3), JSON.stringify({ error: { code: 'redis_unavailable', detail: 'Session storage is unavailable; retry shortly (after 2 sessions)' } })].join('\n')
  t.match(json(await importAll(test.app, failedExport)), { imported: 1, skipped: 1, failed: 0, complete: false, errors: [{ line: 4, code: 'export_failed' }] })

  const miscounted = [...lines.slice(0, 3), JSON.stringify({ end: true, sessions: 3 })].join('\n')
  t.match(json(await importAll(test.app, miscounted)), { imported: 0, skipped: 2, complete: false, errors: [{ line: 4, code: 'count_mismatch' }] })

  for (const [body, detail] of [['', /empty/], [lines[1]!, /first line must be the export header/], ['{"format":"sessiond-export","format_version":2}', /format_version 2/]] as const) {
    const refused = await importAll(test.app, body)
    t.equal(refused.statusCode, 400, `refused: ${body.slice(0, 40)}`)
    t.match(json(refused), { code: 'validation_failed', detail })
  }
})

t.test('an older stored session is replaced and the change announced; a newer one is kept', async (t) => {
  const test = await buildTestApp(t)
  const session = await createSession(test.app, { kind: 'chat' })
  const older = await exportAll(test.app)
  await test.app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/messages`, payload: { role: 'user', content: 'newer' } })
  const newer = await exportAll(test.app)

  t.match(json(await importAll(test.app, older)), { imported: 0, skipped: 1 }, 'the stored session is newer: kept')
  t.equal(json(await test.app.inject(`/v1/sessions/${session.id}`)).version, 2)

  await eraseEverything(test)
  t.match(json(await importAll(test.app, older)), { imported: 1 })
  t.equal(json(await test.app.inject(`/v1/sessions/${session.id}`)).version, 1)
  const heard: SessionEvent[] = []
  const stop = await test.app.changes.listen(session.id, { onEvents: (events) => heard.push(...events), onGap: () => {} })
  t.teardown(stop)
  t.match(json(await importAll(test.app, newer)), { imported: 1, skipped: 0 }, 'the stored session is older: replaced')
  for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.match(heard, [{ type: 'message.created', version: 2, data: { seq: 1 } }], 'listeners (event streams, read caches) hear the newest change')
  t.equal(json(await test.app.inject(`/v1/sessions/${session.id}/messages`)).messages.length, 1)
  t.same(await liveCounters(test), { 'k:chat': 1, 's:active': 1 }, 'counted once')
})

t.test('import takes only NDJSON, and no more than IMPORT_MAX_BYTES', async (t) => {
  const test = await buildTestApp(t, { IMPORT_MAX_BYTES: '4096' })
  for (let i = 0; i < 5; i++) await createSession(test.app, { metadata: { padding: 'x'.repeat(600) } })
  const backup = await exportAll(test.app)
  t.ok(backup.length > 4096)
  await eraseEverything(test)

  const asJson = await test.app.inject({ method: 'POST', url: '/v1/admin/import', payload: { some: 'json' } })
  t.equal(asJson.statusCode, 415)
  t.match(json(asJson), { code: 'unsupported_media_type' })

  const declared = await importAll(test.app, backup)
  t.equal(declared.statusCode, 413, 'a content-length over the cap is refused before reading')
  t.match(json(declared), { code: 'payload_too_large' })
  t.same(await test.allKeys(), [], 'nothing written')

  // Chunked, without a content-length: refused when the cap is reached, saying what was done.
  const streamed = await importAll(test.app, Readable.from(backup.match(/[^\n]*\n/g)!.map((line) => Buffer.from(line))))
  t.equal(streamed.statusCode, 413)
  t.match(json(streamed), { code: 'payload_too_large', detail: /IMPORT_MAX_BYTES.*imported/ })
  t.equal(streamed.headers.connection, 'close')
})

t.test('only admin keys export and import, and every export is in the audit trail', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  await createSession(app, {}, bearer(serviceKey))
  for (const token of [serviceKey, await userToken('user-1')]) {
    t.equal((await app.inject({ method: 'GET', url: '/v1/admin/export', headers: bearer(token) })).statusCode, 403)
    t.equal((await importAll(app, '{}', bearer(token))).statusCode, 403)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin/export' })).statusCode, 401)
  const exported = await app.inject({ method: 'GET', url: '/v1/admin/export', headers: { ...bearer(adminKey), 'x-request-id': 'backup-1' } })
  t.equal(exported.statusCode, 200)
  t.match(exported.headers['content-type'], /^application\/x-ndjson/)
  t.match(exported.headers['content-disposition'], /^attachment; filename="sessiond-.+\.ndjson"$/)
  t.equal(exported.headers['cache-control'], 'no-store')
  const audit = json(await app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(adminKey) }))
  t.match(audit.entries.find((entry: any) => entry.request_id === 'backup-1'), { principal: 'admin:ops', action: 'GET /v1/admin/export', status: 200 })
  const imported = await importAll(app, exported.body, bearer(adminKey))
  t.equal(imported.statusCode, 200)
  t.match(json(imported), { skipped: 1 })
})

t.test('a large session round-trips: thousands of messages, a full event log, many idempotency records', async (t) => {
  const test = await buildTestApp(t)
  const now = Date.now()
  const id = 'large-session-0001'
  const messages = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ id: `m${i}`, seq: i + 1, created_at: now, role: 'user', content: `${i} ${'x'.repeat(200)}` }))
  const events = Array.from({ length: 1000 }, (_, i) => JSON.stringify([i + 1602, now, 10, `m${i + 1500}`, i + 1501, 'user']))
  const idempotency = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`digest${i}`, `${now + 86_400_000}|fp${i}|${i + 2}|{}`]))
  const line = {
    session: {
      id, user_id: 'big', kind: 'chat', state: 'active', version: '2601', created_at: String(now - 1000), updated_at: String(now), expires_at: String(now + 3_600_000),
      absolute_expires_at: String(now + 86_400_000), ttl_seconds: '3600', total_steps: '23', message_seq: '2500', schema_version: '2', metadata: '{}', therapeutic_goals: '[]'
    },
    steps: ['', `${now}|${JSON.stringify({ essay: 'y'.repeat(60_000) })}`],
    messages,
    events,
    idempotency
  }
  const body = [JSON.stringify({ format: 'sessiond-export', format_version: 1, exported_at: new Date().toISOString(), source: { key_system: 'x', key_env: 'y' } }), JSON.stringify(line), '{"end":true,"sessions":1}'].join('\n')
  t.same(json(await importAll(test.app, body)), { imported: 1, skipped: 0, failed: 0, complete: true, errors: [] })
  t.equal(await test.redis.llen(test.keys.messages(id)), 2500)
  t.equal(await test.redis.hlen(test.keys.sessionIdempotency(id)), 1500)
  const page = json(await test.app.inject(`/v1/sessions/${id}/messages?order=desc&limit=2`))
  t.same(page.messages.map((m: any) => m.seq), [2500, 2499])
  t.same(json(await test.app.inject(`/v1/sessions/${id}/steps/2`)).data.essay.length, 60_000)

  const exported = linesOf(await exportAll(test.app))[1]
  t.same(exported.messages, messages)
  t.same(exported.events, events)
  t.same(exported.idempotency, idempotency)
  t.same(exported.steps, line.steps)
  t.same({ ...exported.session }, { ...line.session }, 'the same session hash')
})

t.test('an export that fails midway ends with an error line, not the end line', async (t) => {
  const { store, repos } = await buildTestStore(t)
  for (let i = 0; i < 60; i++) await repos.sessions.create({ user_id: `u${i}` })
  const lines: string[] = []
  let failure: Error | undefined
  for await (const line of repos.exporter.lines({ concurrency: 4, onError: (err) => { failure = err } })) {
    lines.push(line)
    if (lines.length === 3) store.client.disconnect() // Redis goes away after two sessions
  }
  const last = JSON.parse(lines.at(-1)!)
  t.match(last, { error: { code: 'redis_unavailable', detail: /after \d+ sessions/ } })
  t.notOk(lines.some((line) => line.startsWith('{"end"')), 'no end line')
  t.ok(lines.length < 62, `${lines.length - 2} sessions before the failure`)
  t.ok(failure, 'the failure is reported to the caller (the route logs it)')
})
