// Encryption at rest (contract §13): what is stored is ciphertext under the first key, bound to its
// session (or user); a value that does not open — tampered, moved to another session, under a key id
// the ring lacks — is 500 internal_error with a log line naming the key id and never the content;
// values written before encryption was on still read.
import t from 'tap'
import { PassThrough } from 'node:stream'
import { TEST_ENCRYPTION_KEYS, buildTestApp, createSession, json } from './helper.js'
import { SECRET, everythingStored, fillSession } from './encryption-fixture.js'
import { OPENED_LIMIT, Sealer, SealedValueError } from '../src/domain/sealer.js'
import { loadConfig, ConfigError } from '../src/config.js'

const key = (byte: number): string => Buffer.alloc(32, byte).toString('base64')

t.test('with ENCRYPTION_KEYS every listed content is stored sealed, and reads answer the plaintext', async (t) => {
  const { app, redis, allKeys, keys, config } = await buildTestApp(t, { ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS })
  const id = await fillSession(app, true)
  const stored = await everythingStored(redis, await allKeys({ bookkeeping: true }))
  t.notMatch(stored, SECRET, 'the content appears nowhere in Redis')
  t.match(stored, '\u0001v1.k1.', 'values are sealed under the first key')
  t.notMatch(stored, '\u0001v1.k0.', 'never under the others')
  // A ring that never saw the value opens what is stored (another process, after a restart).
  const elsewhere = new Sealer(config.encryptionKeys)
  t.same(JSON.parse(elsewhere.open((await redis.hget(keys.session(id), 'metadata'))!, id)), { note: SECRET }, 'what is stored opens in another process')
  const read = json(await app.inject({ url: `/v1/sessions/${id}/summary` }))
  t.same(read.session.metadata, { note: SECRET })
  t.same(read.steps[0].data, { answer: SECRET })
  t.same(read.narrative.story.data, { told: SECRET })
  t.match(json(await app.inject({ url: `/v1/sessions/${id}/messages` })).messages[0], { content: SECRET, metadata: { mood: SECRET } })
  t.match(json(await app.inject({ url: `/v1/sessions/${id}/result` })).context, { steps: { 1: { answer: SECRET } }, metadata: { note: SECRET } })
  t.match(json(await app.inject({ url: '/v1/users/user-1/progress' })).snapshots[0], { skills_developed: [SECRET] })
})

t.test('a value that does not open is 500 internal_error, logged with its key id and never its content', async (t) => {
  const lines: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter((l) => l !== '')))
  const env = { ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS, LOG_LEVEL: 'error' }
  const { app, redis, keys } = await buildTestApp(t, env, { logStream })
  const a = await createSession(app, { metadata: { note: SECRET } })
  const b = await createSession(app, { metadata: { note: 'other' } })
  const refused = async (what: string, id: string, keyId: string): Promise<void> => {
    lines.length = 0
    const response = await app.inject({ url: `/v1/sessions/${id}` })
    t.equal(response.statusCode, 500, what)
    t.match(json(response), { code: 'internal_error' }, what)
    t.notMatch(response.body, SECRET)
    const logged = lines.join('\n')
    t.match(logged, `key id \\"${keyId}\\"`, `${what}: the log names the key id`)
    t.notMatch(logged, SECRET, `${what}: the log never holds the content`)
  }

  const sealed = (await redis.hget(keys.session(a.id), 'metadata'))!
  // A flipped byte inside the ciphertext.
  const at = sealed.length - 10
  const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1)
  await redis.hset(keys.session(a.id), 'metadata', flipped)
  await refused('a flipped byte', a.id, 'k1')

  // A value of session a copied into session b.
  await redis.hset(keys.session(b.id), 'metadata', sealed)
  await refused('a value copied from another session', b.id, 'k1')

  // A key id the ring does not hold.
  await redis.hset(keys.session(a.id), 'metadata', sealed.replace('\u0001v1.k1.', '\u0001v1.k9.'))
  await refused('an unknown key id', a.id, 'k9')

  // Content under a list too: a tampered message.
  const c = await createSession(app)
  await app.inject({ method: 'POST', url: `/v1/sessions/${c.id}/messages`, payload: { role: 'user', content: SECRET } })
  const message = (await redis.lindex(keys.messages(c.id), 0))!
  await redis.lset(keys.messages(c.id), 0, message.replace(/\.k1\.(.)/, (_, ch: string) => `.k1.${ch === 'A' ? 'B' : 'A'}`))
  const list = await app.inject({ url: `/v1/sessions/${c.id}/messages` })
  t.equal(list.statusCode, 500, 'a tampered message')
  t.notMatch(list.body, SECRET)
})

t.test('content written before encryption was on reads the same afterwards; new writes are sealed', async (t) => {
  const plain = await buildTestApp(t)
  const id = await fillSession(plain.app, false)
  const routes = [`/v1/sessions/${id}?touch=false`, `/v1/sessions/${id}/summary?touch=false`, `/v1/sessions/${id}/messages`, `/v1/sessions/${id}/choices`, `/v1/sessions/${id}/narrative`, '/v1/users/user-1/progress']
  const before = await Promise.all(routes.map(async (url) => (await plain.app.inject({ url })).body))
  const sealed = await buildTestApp(t, { KEY_ENV: plain.config.keys.env, ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS })
  const after = await Promise.all(routes.map(async (url) => (await sealed.app.inject({ url })).body))
  t.same(after.map((body) => JSON.parse(body)), before.map((body) => JSON.parse(body)))
  await sealed.app.inject({ method: 'PATCH', url: `/v1/sessions/${id}`, payload: { metadata: { more: 1 } } })
  t.match(await sealed.redis.hget(sealed.keys.session(id), 'metadata'), /^\u0001v1\.k1\./, 'the next write seals')
})

t.test('the sealer: fresh nonce per value, bound to its id, opened by any key of the ring', async (t) => {
  const k1 = { id: 'k1', key: Buffer.alloc(32, 1) }
  const k0 = { id: 'k0', key: Buffer.alloc(32, 2) }
  const old = new Sealer([k0])
  const ring = new Sealer([k1, k0])
  const a = ring.seal('{"a":1}', 'session-a')
  t.not(a, ring.seal('{"a":1}', 'session-a'), 'a fresh nonce each time')
  t.equal(ring.open(a, 'session-a'), '{"a":1}')
  t.equal(ring.open(old.seal('x', 's'), 's'), 'x', 'an older key still opens')
  t.equal(ring.open('{"plain":true}', 's'), '{"plain":true}', 'plaintext passes through')
  t.throws(() => ring.open(a, 'session-b'), SealedValueError)
  t.throws(() => old.open(a, 'session-a'), /key id "k1" does not open: the key id is not in ENCRYPTION_KEYS/)
  t.ok(ring.isStale(old.seal('x', 's')) && !ring.isStale(a))
})

t.test('an opened value is remembered by its sealed text, and only for the id it was opened under (0724)', async (t) => {
  const ring = new Sealer([{ id: 'k1', key: Buffer.alloc(32, 1) }])
  // Sealed by another process with the same key ring: this one has to open it.
  const writer = new Sealer([{ id: 'k1', key: Buffer.alloc(32, 1) }])
  const a = writer.seal('{"a":1}', 'session-a')
  t.equal(ring.open(a, 'session-a'), '{"a":1}')
  t.equal(ring.rememberedCount, 1)
  t.equal(ring.open(a, 'session-a'), '{"a":1}', 'opened again from memory')
  t.equal(ring.rememberedCount, 1)
  t.throws(() => ring.open(a, 'session-b'), SealedValueError, 'copied into another session: opened in full, and refused')
  const body = a.slice(a.lastIndexOf('.') + 1)
  const flipped = a.slice(0, a.length - body.length) + (body[0] === 'A' ? 'B' : 'A') + body.slice(1)
  t.throws(() => ring.open(flipped, 'session-a'), SealedValueError, 'a flipped byte is another text: refused')
  t.equal(ring.open(a, 'session-a'), '{"a":1}', 'a refusal leaves the remembered value as it was')
  const other = new Sealer([{ id: 'k2', key: Buffer.alloc(32, 2) }])
  t.throws(() => other.open(a, 'session-a'), /not in ENCRYPTION_KEYS/, 'another ring remembers nothing of this one')
  for (let i = 0; i < OPENED_LIMIT + 10; i++) ring.open(writer.seal(`{"n":${i}}`, 's'), 's')
  t.equal(ring.rememberedCount, OPENED_LIMIT, 'bounded')
  t.equal(ring.open(a, 'session-a'), '{"a":1}', 'a forgotten value opens in full again')
  const fresh = new Sealer([{ id: 'k1', key: Buffer.alloc(32, 1) }])
  const long = JSON.stringify({ text: 'x'.repeat(5000) })
  t.equal(fresh.open(writer.seal(long, 's'), 's'), long)
  t.equal(fresh.rememberedCount, 0, 'a long value is not remembered')
  fresh.open(a, 'session-a')
  t.equal(fresh.rememberedCount, 1)
})

t.test('a write answers what it sealed without decrypting it again; anything else it opens in full', async (t) => {
  const { app, redis, keys } = await buildTestApp(t, { ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS })
  const proto = Sealer.prototype as unknown as { decrypt: (...args: unknown[]) => string }
  const original = proto.decrypt
  let decrypts = 0
  proto.decrypt = function (this: unknown, ...args: unknown[]) { decrypts++; return original.apply(this, args) }
  t.teardown(() => { proto.decrypt = original })

  const created = await createSession(app, { metadata: { note: SECRET }, therapeutic_goals: [SECRET] })
  t.same([created.metadata, created.therapeutic_goals], [{ note: SECRET }, [SECRET]])
  const message = await app.inject({ method: 'POST', url: `/v1/sessions/${created.id}/messages`, payload: { role: 'user', content: SECRET, metadata: { mood: SECRET } } })
  t.match(json(message), { content: SECRET, metadata: { mood: SECRET } })
  t.equal(decrypts, 0, 'the create and the message answered from what they sealed')
  t.match((await redis.hget(keys.session(created.id), 'metadata'))!, /^\u0001v1\.k1\./, 'stored sealed all the same')

  const patched = await app.inject({ method: 'PATCH', url: `/v1/sessions/${created.id}`, payload: { metadata: { more: SECRET } } })
  t.same(json(patched).metadata, { note: SECRET, more: SECRET })
  t.equal(decrypts, 2, 'the PATCH read the stored session (two sealed fields), and answered its new metadata from what it sealed')
  const read = json(await app.inject({ url: `/v1/sessions/${created.id}` }))
  t.same(read.metadata, { note: SECRET, more: SECRET })
  t.equal(decrypts, 3, 'a read opens in full what it did not seal')
})

t.test('ENCRYPTION_KEYS is checked at start, naming the variable and never the key', async (t) => {
  const load = (value: string): unknown => loadConfig({ REDIS_URL: 'redis://localhost:6379', ENCRYPTION_KEYS: value })
  t.throws(() => load(`k1:${Buffer.alloc(16).toString('base64')}`), new ConfigError('ENCRYPTION_KEYS', 'key "k1" must be 32 bytes in base64 (openssl rand -base64 32), got 16 bytes'))
  t.throws(() => load(`k1:${key(1)},k1:${key(2)}`), { message: /ENCRYPTION_KEYS names a key id "k1" twice/ })
  t.throws(() => load(key(1)), { message: /ENCRYPTION_KEYS entries must be kid:base64/ })
  t.throws(() => load('k1:not base64!'), { message: /ENCRYPTION_KEYS/ })
  const config = loadConfig({ REDIS_URL: 'redis://localhost:6379', ENCRYPTION_KEYS: `new:${key(3)}, old:${key(4)}` })
  t.same(config.encryptionKeys.map((k) => k.id), ['new', 'old'])
  t.same(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).encryptionKeys, [], 'off by default')
})
