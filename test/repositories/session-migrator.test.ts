// `sessiond migrate` (src/repositories/session-migrator.ts): stored documents of an older schema_version
// are rewritten in the current shape, without a version bump, and a second run has nothing to do.
import t from 'tap'
import { TEST_ENCRYPTION_KEYS, buildTestApp, createSession, json } from '../helper.js'
import { SESSION_SCHEMA_VERSION } from '../../src/domain/migrations.js'
import { migrationDiff } from '../../src/repositories/session-migrator.js'

t.test('a schema_version 1 document is rewritten as the API already shows it; the version does not move', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const old = await createSession(app, { therapeutic_goals: ['x'] })
  const current = await createSession(app)
  // Make the first one a document as version 1 stored it: goals as text, no safety_level or workspace_id.
  const key = keys.session(old.id)
  await redis.hset(key, 'schema_version', '1', 'goals', 'calm, focus')
  await redis.hdel(key, 'therapeutic_goals', 'safety_level', 'workspace_id')
  const shown = json(await app.inject(`/v1/sessions/${old.id}?touch=false`))
  t.match(shown, { therapeutic_goals: ['calm', 'focus'], safety_level: 'none', workspace_id: null, schema_version: SESSION_SCHEMA_VERSION })
  const ttl = await redis.pttl(key)

  const progress: number[] = []
  const report = await app.repos.migrator.run({ onProgress: (now) => progress.push(now.examined) })
  t.same(report, { examined: 2, migrated: 1, current: 1, gone: 0 })
  t.equal(progress.at(-1), 2)
  const stored = await redis.hgetall(key)
  t.match(stored, { schema_version: String(SESSION_SCHEMA_VERSION), therapeutic_goals: '["calm","focus"]', safety_level: 'none', workspace_id: '', version: '1' })
  t.notOk('goals' in stored, 'the old field is gone')
  t.same(json(await app.inject(`/v1/sessions/${old.id}?touch=false`)), shown, 'the API answers exactly as before')
  t.ok(Math.abs(await redis.pttl(key) - ttl) < 2000, 'the expiry does not move')
  t.equal(json(await app.inject(`/v1/sessions/${current.id}?touch=false`)).version, 1)

  t.same(await app.repos.migrator.run(), { examined: 2, migrated: 0, current: 2, gone: 0 }, 'a second run has nothing to do')
})

t.test('a session that changes between the read and the rewrite is read again', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const session = await createSession(app)
  const key = keys.session(session.id)
  await redis.hset(key, 'schema_version', '1', 'goals', 'a')
  await redis.hdel(key, 'therapeutic_goals')
  // The first compare-and-set finds the session moved on (a message came in between): it is read again.
  const stale = { expectedVersion: '1', expectedSchemaVersion: '1', ...migrationDiff(await redis.hgetall(key), { ...(await redis.hgetall(key)), schema_version: '2' }) }
  await app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/messages`, payload: { role: 'user', content: 'in between' } })
  await t.rejects(app.redis.scripts.migrateSession(session.id, stale), { name: 'StaleWriteError' })
  t.equal(await app.repos.migrator.migrate(session.id), 'migrated')
  t.equal(await app.repos.migrator.migrate(session.id), 'current')
  t.equal(await app.repos.migrator.migrate('gone-session'), 'gone')
  t.match(await redis.hgetall(key), { version: '2', schema_version: '2', therapeutic_goals: '["a"]', message_seq: '1' })
})

t.test('with encryption at rest on, the migrated goals are stored sealed and read the same', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS })
  const old = await createSession(app, { metadata: { kept: true } })
  const key = keys.session(old.id)
  await redis.hset(key, 'schema_version', '1', 'goals', 'calm, focus')
  await redis.hdel(key, 'therapeutic_goals', 'safety_level', 'workspace_id')
  const shown = json(await app.inject(`/v1/sessions/${old.id}?touch=false`))
  t.same(await app.repos.migrator.run(), { examined: 1, migrated: 1, current: 0, gone: 0 })
  t.match(await redis.hget(key, 'therapeutic_goals'), /^\u0001v1\.k1\./)
  t.same(json(await app.inject(`/v1/sessions/${old.id}?touch=false`)), shown)
})
