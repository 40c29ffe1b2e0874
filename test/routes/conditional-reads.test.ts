// Conditional reads and strong preconditions (contract §1): if-none-match → 304 on every GET that
// answers an etag; if-match takes strong tags only.
import t from 'tap'
import { buildTestApp, createSession, json } from '../helper.js'

t.test('every GET with an etag answers 304, with the etag and no body, while the version is current', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding', total_steps: 3 })
  const base = `/v1/sessions/${session.id}`
  await app.inject({ method: 'PUT', url: `${base}/steps/1`, payload: { a: 1 } })
  await app.inject({ method: 'PUT', url: `${base}/narrative/world_state`, payload: { data: { b: 2 } } })
  const reads = [base, `${base}?touch=false`, `${base}/summary`, `${base}/steps`, `${base}/steps/1`, `${base}/progress`, `${base}/narrative`, `${base}/narrative/world_state`]
  for (const url of reads) {
    const first = await app.inject({ url })
    t.equal(first.statusCode, 200, url)
    t.equal(first.headers.etag, '"3"', `${url} carries the session version`)
    for (const tag of ['"3"', 'W/"3"', '"1", "3"', '*']) {
      const again = await app.inject({ url, headers: { 'if-none-match': tag } })
      t.equal(again.statusCode, 304, `${url} with if-none-match ${tag}`)
      t.equal(again.body, '', 'no body')
      t.equal(again.headers.etag, '"3"')
      t.equal(again.headers['x-request-id'] !== undefined, true)
    }
    t.equal((await app.inject({ url, headers: { 'if-none-match': '"2"' } })).statusCode, 200, `${url}: an older version gets the document`)
  }
  await app.inject({ method: 'PUT', url: `${base}/steps/2`, payload: { c: 3 } })
  for (const url of reads) {
    const changed = await app.inject({ url, headers: { 'if-none-match': '"3"' } })
    t.equal(changed.statusCode, 200, `${url} after a change`)
    t.equal(changed.headers.etag, '"4"')
  }
  t.equal((await app.inject({ url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: { 'if-none-match': '*' } })).statusCode, 404, 'a missing session is still 404')

  // The finalized result: its etag is the finalized session's version.
  await app.inject({ method: 'PUT', url: `${base}/steps/3`, payload: { d: 4 } })
  t.equal((await app.inject({ method: 'POST', url: `${base}/finalize`, payload: {} })).statusCode, 200)
  const result = await app.inject({ url: `${base}/result` })
  t.equal(result.statusCode, 200)
  const again = await app.inject({ url: `${base}/result`, headers: { 'if-none-match': result.headers.etag as string } })
  t.equal(again.statusCode, 304, 'the result answers 304 too')
  t.equal(again.body, '')
  t.equal(again.headers.etag, result.headers.etag)
})

t.test('a conditional read still slides the expiry, and is not a change', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app, { ttl_seconds: 60 })
  const before = await redis.pexpiretime(keys.session(session.id))
  await new Promise((resolve) => setTimeout(resolve, 650))
  const response = await app.inject({ url: `/v1/sessions/${session.id}`, headers: { 'if-none-match': '"1"' } })
  t.equal(response.statusCode, 304)
  t.ok(await redis.pexpiretime(keys.session(session.id)) > before, 'slid like any read')
  t.equal(await redis.hget(keys.session(session.id), 'version'), '1')
})

t.test('if-match takes strong tags only: W/"<current>" is 412 version_conflict and changes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app)
  const base = `/v1/sessions/${session.id}`
  for (const [method, url, payload] of [
    ['PATCH', base, { metadata: { a: 1 } }],
    ['PUT', `${base}/steps/1`, { a: 1 }],
    ['POST', `${base}/messages`, { role: 'user', content: 'hi' }],
    ['DELETE', base, undefined]
  ] as const) {
    const weak = await app.inject({ method, url, headers: { 'if-match': 'W/"1"' }, ...(payload !== undefined ? { payload } : {}) })
    t.equal(weak.statusCode, 412, `${method} ${url}`)
    t.match(json(weak), { code: 'version_conflict', current_version: 1 })
  }
  t.equal(json(await app.inject({ url: base })).version, 1, 'nothing changed')
  t.equal((await app.inject({ method: 'PATCH', url: base, headers: { 'if-match': '"1"' }, payload: { metadata: { a: 1 } } })).statusCode, 200, 'the strong tag is accepted')
})
