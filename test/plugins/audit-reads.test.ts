// AUDIT_READS=true (contract §13, §9): reads of stored content are audit entries too; other reads, 304s
// and refused reads are not; off by default.
import t from 'tap'
import { adminKey, authEnv, bearer, buildTestApp, createSession, serviceKey, json } from '../helper.js'
import { CONTENT_READS } from '../../plugins/audit.js'

const admin = bearer(adminKey)
const service = bearer(serviceKey)

async function trail (app: any): Promise<any> {
  const response = await app.inject({ url: '/v1/admin/audit', headers: admin })
  if (response.statusCode !== 200) throw new Error(`audit read failed: ${response.statusCode} ${response.body}`)
  return json(response)
}

t.test('with AUDIT_READS=true reads of content are in the trail too; other reads and 304s are not; off by default', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, AUDIT_READS: 'true' })
  const created = await createSession(app, { user_id: 'alice' }, service)
  const session = await app.inject({ url: `/v1/sessions/${created.id}`, headers: { ...service, 'x-request-id': 'read-1' } })
  await app.inject({ url: `/v1/sessions/${created.id}/messages`, headers: { ...service, 'x-request-id': 'read-2' } })
  await app.inject({ url: `/v1/sessions/${created.id}/progress`, headers: service })
  await app.inject({ url: `/v1/sessions/${created.id}`, headers: { ...service, 'if-none-match': session.headers.etag as string } })
  await app.inject({ url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: service })
  const { entries } = await trail(app)
  t.match(entries, [
    { action: 'POST /v1/sessions' },
    { principal: 'service:backend', action: 'GET /v1/sessions/:id', status: 200, session_id: created.id, request_id: 'read-1' },
    { principal: 'service:backend', action: 'GET /v1/sessions/:id/messages', status: 200, session_id: created.id, request_id: 'read-2' }
  ])
  t.equal(entries.length, 3, 'not the progress read (no content), the 304 or the 404')
  for (const route of CONTENT_READS) t.ok(app.hasRoute({ method: 'GET', url: route }), `${route} is a GET route`)

  const off = await buildTestApp(t, authEnv)
  const other = await createSession(off.app, { user_id: 'alice' }, service)
  await off.app.inject({ url: `/v1/sessions/${other.id}/messages`, headers: service })
  t.same((await trail(off.app)).entries.map((entry: any) => entry.action), ['POST /v1/sessions'], 'off by default')
})
