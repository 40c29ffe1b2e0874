// GET /v1/sessions/{id}/result (contract §5): the stored Finalized document, or not_found before finalize.
import t from 'tap'
import { authEnv, bearer, buildTestApp, createSession, json, serviceKey, userToken } from '../helper.js'

t.test('after finalize the result is the stored document, with the session version as etag', async (t) => {
  const { app } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'onboarding', total_steps: 2, metadata: { plan: 'pro' } })
  const url = `/v1/sessions/${session.id}/result`

  const before = await app.inject(url)
  t.equal(before.statusCode, 404)
  t.match(json(before), { code: 'not_found' })

  await app.inject({ method: 'PUT', url: `/v1/sessions/${session.id}/steps/1`, payload: { name: 'Ada' } })
  const finalized = await app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/finalize`, payload: { allow_incomplete: true } })
  const read = await app.inject(url)
  t.equal(read.statusCode, 200)
  t.same(json(read), json(finalized), 'the same document finalize answered')
  t.equal(read.headers.etag, finalized.headers.etag)
  t.equal(read.headers.etag, `"${json(read).session.version}"`)
  t.match(json(read), { context: { steps: { 1: { name: 'Ada' } }, metadata: { plan: 'pro' } } })
  const again = await app.inject(url)
  t.equal(again.body, read.body, 'the same every time')
  t.equal(json(await app.inject(`/v1/sessions/${session.id}?touch=false`)).expires_at, json(read).session.expires_at, 'reading it moves nothing')
})

t.test('a missing session is session_not_found, someone else\'s too', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  t.match(json(await app.inject({ url: '/v1/sessions/nope/result', headers: bearer(serviceKey) })), { code: 'session_not_found' })
  const session = await createSession(app, { user_id: 'alice' }, bearer(serviceKey))
  t.equal((await app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/finalize`, payload: { allow_incomplete: true }, headers: bearer(serviceKey) })).statusCode, 200)
  const mallory = await app.inject({ url: `/v1/sessions/${session.id}/result`, headers: bearer(await userToken('mallory')) })
  t.equal(mallory.statusCode, 404)
  t.match(json(mallory), { code: 'session_not_found' })
  t.equal((await app.inject({ url: `/v1/sessions/${session.id}/result`, headers: bearer(await userToken('alice')) })).statusCode, 200)
})
