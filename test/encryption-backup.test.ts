// Backups with encryption at rest (contract §13, §9): an export carries the values as stored (sealed)
// and names the key ids they need; it restores into a fresh Redis with the same key ring and every read
// answers as before; an import without those keys refuses each session, naming the missing key id.
import t from 'tap'
import { buildTestApp, json, privateRedis } from './helper.js'
import { SECRET, fillSession } from './encryption-fixture.js'

const OLD = `k0:${Buffer.alloc(32, 2).toString('base64')}`
const NEW = `k1:${Buffer.alloc(32, 1).toString('base64')}`
const NDJSON = { 'content-type': 'application/x-ndjson' }
const linesOf = (body: string): any[] => body.trim().split('\n').map((line) => JSON.parse(line))

t.test('an encrypted export round-trips into a fresh Redis with the same key ring; without its keys the import refuses', async (t) => {
  const older = await buildTestApp(t, { ENCRYPTION_KEYS: OLD })
  const source = await buildTestApp(t, { KEY_ENV: older.config.keys.env, ENCRYPTION_KEYS: `${NEW},${OLD}` })
  const ids = [await fillSession(older.app, true, 'u-old'), await fillSession(source.app, false, 'u-new')]
  const reads = ids.flatMap((id) => [`/v1/sessions/${id}/summary?touch=false`, `/v1/sessions/${id}/messages`, `/v1/sessions/${id}/choices`, `/v1/sessions/${id}/narrative`])
  const answers = async (app: typeof source.app): Promise<unknown[]> =>
    await Promise.all(reads.map(async (url) => ({ url, body: json(await app.inject({ url })) })))
  const expected = await answers(source.app)

  const exported = await source.app.inject({ url: '/v1/admin/export' })
  t.equal(exported.statusCode, 200)
  t.notMatch(exported.body, SECRET, 'the backup carries no plaintext content')
  const lines = linesOf(exported.body)
  t.same(lines[0].encryption, { key_ids: ['k1', 'k0'] }, 'the header names the exporting key ring')
  t.same(lines.at(-1), { end: true, sessions: 2, key_ids: ['k0', 'k1'] }, 'the end line names the key ids the values need')

  // A fresh Redis, the same key ring: everything reads as before.
  const fresh = await privateRedis(t)
  const target = await buildTestApp(t, { REDIS_URL: fresh.server.url, ENCRYPTION_KEYS: `${NEW},${OLD}` })
  const imported = await target.app.inject({ method: 'POST', url: '/v1/admin/import', payload: exported.body, headers: NDJSON })
  t.match(json(imported), { imported: 2, failed: 0, complete: true })
  t.same(await answers(target.app), expected, 'every read answers as in the source')

  // Without k0: the session sealed under it is refused, naming the key id, and nothing of it is written; the other one imports.
  const lacking = await buildTestApp(t, { REDIS_URL: fresh.server.url, ENCRYPTION_KEYS: NEW })
  const refused = json(await lacking.app.inject({ method: 'POST', url: '/v1/admin/import', payload: exported.body, headers: NDJSON }))
  t.match(refused, { imported: 1, failed: 1, errors: [{ code: 'missing_encryption_key', detail: /key id k0 and ENCRYPTION_KEYS holds k1/ }] })
  t.equal(await lacking.redis.exists(lacking.keys.session(ids[0]!)), 0)

  // Without any key: both are refused, and the report says to set the key ring.
  const off = await buildTestApp(t, { REDIS_URL: fresh.server.url, ENCRYPTION_KEYS: '' })
  const none = json(await off.app.inject({ method: 'POST', url: '/v1/admin/import', payload: exported.body, headers: NDJSON }))
  t.match(none, { imported: 0, failed: 2 })
  t.match(none.errors[0].detail, /ENCRYPTION_KEYS is not set: import with the key ring it was exported with/)
})
