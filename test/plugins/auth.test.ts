import t from 'tap'
import { PassThrough } from 'node:stream'
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import {
  adminKey, authEnv, bearer, buildTestApp, createSession, json, serviceKey, sleep, testRedis, userToken
} from '../helper.js'
import { JWT_CLOCK_TOLERANCE_S } from '../../src/domain/credentials.js'
import { loadConfig, ConfigError } from '../../src/config.js'

const problemType = 'application/problem+json; charset=utf-8'

t.test('without a valid token every /v1 request is a 401 problem with www-authenticate: Bearer', async (t) => {
  const { app, allKeys } = await buildTestApp(t, authEnv)
  const requests = [
    { method: 'POST' as const, url: '/v1/sessions', payload: { user_id: 'u1' } },
    { method: 'GET' as const, url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA' },
    { method: 'DELETE' as const, url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA' },
    { method: 'GET' as const, url: '/v1/admin/audit' },
    { method: 'GET' as const, url: '/v1/no-such-route' },
    // Percent-encoded paths that the router decodes onto /v1 routes.
    { method: 'GET' as const, url: '/%761/admin/audit' },
    { method: 'GET' as const, url: '/%76%31/sessions/AAAAAAAAAAAAAAAAAAAAAAAA' },
    { method: 'GET' as const, url: '/%761/sessions' }
  ]
  const headerCases: Array<[string, Record<string, string>]> = [
    ['no header', {}],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['other scheme', { authorization: `Basic ${serviceKey}` }],
    ['key without scheme', { authorization: serviceKey }],
    ['unknown key', bearer('x'.repeat(40))],
    ['prefix of a key', bearer(serviceKey.slice(0, -1))],
    ['a key with a suffix', bearer(`${serviceKey}x`)],
    ['two tokens', { authorization: `Bearer ${serviceKey} ${adminKey}` }],
    ['a huge token', bearer('a'.repeat(20_000))]
  ]
  for (const request of requests) {
    for (const [name, headers] of headerCases) {
      const response = await app.inject({ ...request, headers })
      const label = `${request.method} ${request.url} with ${name}`
      t.equal(response.statusCode, 401, label)
      t.equal(response.headers['content-type'], problemType, label)
      t.match(response.headers['www-authenticate'], /^Bearer realm="sessiond"/, label)
      t.match(json(response), { code: 'unauthorized', status: 401, type: 'urn:sessiond:problem:unauthorized' }, label)
    }
  }
  t.same(await allKeys(), [], 'nothing was stored')
})

t.test('health, metrics, docs and the OpenAPI document need no token', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  for (const url of ['/health/live', '/health/ready', '/health', '/metrics', '/openapi.json', '/openapi.yaml']) {
    t.equal((await app.inject({ url })).statusCode, 200, url)
  }
  t.ok((await app.inject({ url: '/docs' })).statusCode < 400, '/docs')
})

t.test('the OpenAPI document declares the bearer token on every /v1 operation and none on the ops routes', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const doc = app.swagger() as any
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (path.startsWith('/v1')) t.same(op.security, [{ bearer: [] }], `${method} ${path}`)
      else t.same(op.security, [], `${method} ${path} is open (security: [])`)
    }
  }
})

t.test('service and admin keys act on any session; the scheme name is case-insensitive', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const created = await createSession(app, { user_id: 'alice' }, bearer(serviceKey))
  t.equal((await app.inject({ url: `/v1/sessions/${created.id}`, headers: bearer(adminKey) })).statusCode, 200)
  t.equal((await app.inject({ url: `/v1/sessions/${created.id}`, headers: { authorization: `bearer ${serviceKey}` } })).statusCode, 200)
})

t.test('only admin keys reach /v1/admin: a service key and a user token get 403', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  t.equal((await app.inject({ url: '/v1/admin/audit', headers: bearer(adminKey) })).statusCode, 200)
  for (const [name, headers] of [['service key', bearer(serviceKey)], ['user token', bearer(await userToken('alice'))]] as const) {
    const response = await app.inject({ url: '/v1/admin/audit', headers })
    t.equal(response.statusCode, 403, name)
    t.equal(json(response).code, 'forbidden', name)
  }
})

t.test("a user token reaches its own sessions; someone else's answers exactly like a missing one", async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const alice = bearer(await userToken('alice'))
  const mine = await createSession(app, { user_id: 'alice' }, alice)
  const theirs = await createSession(app, { user_id: 'bob' }, bearer(serviceKey))
  t.equal((await app.inject({ url: `/v1/sessions/${mine.id}`, headers: alice })).statusCode, 200)

  const strip = (body: any): unknown => ({ ...body, request_id: undefined })
  for (const method of ['GET', 'DELETE'] as const) {
    const foreign = await app.inject({ method, url: `/v1/sessions/${theirs.id}`, headers: alice })
    const missing = await app.inject({ method, url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: alice })
    t.equal(foreign.statusCode, 404, method)
    t.same(strip(json(foreign)), strip(json(missing)), `${method}: same problem as a missing session`)
  }
  t.equal((await app.inject({ url: `/v1/sessions/${theirs.id}`, headers: bearer(serviceKey) })).statusCode, 200, 'bob\'s session is still there')
})

t.test('a user token creates sessions only for its own user id', async (t) => {
  const { app, allKeys } = await buildTestApp(t, authEnv)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'bob' }, headers: bearer(await userToken('alice')) })
  t.equal(response.statusCode, 403)
  t.equal(json(response).code, 'forbidden')
  t.same(await allKeys(), [])
})

t.test('/v1/users/{user_id}/… is only for that user or an API key', async (t) => {
  const { app } = await buildTestApp(t, authEnv, {
    extraRoutes: async (v1) => {
      v1.get('/users/:user_id/probe', async (request) => ({ user_id: (request.params as { user_id: string }).user_id }))
    }
  })
  const probe = async (headers: Record<string, string>, user = 'alice'): Promise<number> =>
    (await app.inject({ url: `/v1/users/${user}/probe`, headers })).statusCode
  t.equal(await probe(bearer(await userToken('alice'))), 200)
  t.equal(await probe(bearer(await userToken('bob'))), 403)
  t.equal(await probe(bearer(serviceKey)), 200)
  t.equal(await probe(bearer(adminKey)), 200)
  t.equal(await probe({}), 401)
})

t.test('JWTs are refused when expired, wrongly signed, without exp, unsigned, or with an unusable sub', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const now = Math.floor(Date.now() / 1000)
  const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', exp: now + 300 })).toString('base64url')}.`
  const cases: Array<[string, string]> = [
    ['expired', await userToken('alice', { expiresIn: -60 })],
    ['wrong signature', await userToken('alice', { secret: 'another-secret-0123456789abcdef0123456789' })],
    ['no exp', await userToken('alice', { noExp: true })],
    ['alg none', unsigned],
    ['empty sub', await userToken('', {})],
    ['sub with a space', await userToken('has space')],
    ['not yet valid', await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setNotBefore(now + 3600).setExpirationTime(now + 7200).sign(new TextEncoder().encode(authEnv.JWT_SECRET))],
    ['HS512', await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').setExpirationTime(now + 300).sign(new TextEncoder().encode(authEnv.JWT_SECRET))],
    ['tampered payload', (await userToken('alice')).replace(/\.([^.]+)\./, `.${Buffer.from(JSON.stringify({ sub: 'bob', exp: now + 300 })).toString('base64url')}.`)]
  ]
  for (const [name, token] of cases) {
    const response = await app.inject({ url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: bearer(token) })
    t.equal(response.statusCode, 401, name)
    t.equal(response.headers['www-authenticate'], 'Bearer realm="sessiond", error="invalid_token"', name)
  }
})

t.test('a verified token is remembered until its exp, and refused after it, though the cache holds it', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const session = await createSession(app, { user_id: 'alice' }, bearer(serviceKey))
  const token = await userToken('alice', { expiresIn: 1 })
  const read = async (): Promise<number> => (await app.inject({ url: `/v1/sessions/${session.id}`, headers: bearer(token) })).statusCode
  t.equal(await read(), 200, 'verified once')
  t.equal(await read(), 200, 'and again, from the cache')
  // exp is in whole seconds; past it (and past the clock tolerance every check allows) the token is refused.
  const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number
  await sleep(exp * 1000 + JWT_CLOCK_TOLERANCE_S * 1000 - Date.now() + 100)
  t.equal(await read(), 401, 'past exp the cached entry is not served')
})

t.test('a token the configuration no longer accepts is refused by an instance started with it, cache or not', async (t) => {
  const before = await buildTestApp(t, authEnv)
  const session = await createSession(before.app, { user_id: 'alice' }, bearer(serviceKey))
  const token = await userToken('alice')
  t.equal((await before.app.inject({ url: `/v1/sessions/${session.id}`, headers: bearer(token) })).statusCode, 200)
  // The secret rotated: an instance with the new configuration never trusts the old token.
  const after = await buildTestApp(t, { ...authEnv, KEY_ENV: before.config.keys.env, JWT_SECRET: 'rotated-secret-0123456789abcdef0123456789' })
  t.equal((await after.app.inject({ url: `/v1/sessions/${session.id}`, headers: bearer(token) })).statusCode, 401)
})

t.test('JWT_ISSUER and JWT_AUDIENCE are checked when set', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'sessiond' })
  const status = async (token: string): Promise<number> =>
    (await app.inject({ url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: bearer(token) })).statusCode
  t.equal(await status(await userToken('alice', { issuer: 'https://idp.example', audience: 'sessiond' })), 404, 'right issuer and audience: authenticated')
  t.equal(await status(await userToken('alice', { issuer: 'https://evil.example', audience: 'sessiond' })), 401, 'wrong issuer')
  t.equal(await status(await userToken('alice', { issuer: 'https://idp.example', audience: 'other' })), 401, 'wrong audience')
  t.equal(await status(await userToken('alice')), 401, 'neither')
})

for (const alg of ['RS256', 'ES256'] as const) {
  t.test(`${alg} tokens verify against JWT_PUBLIC_KEY; an HS256 token keyed with the public key is refused`, async (t) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
    const pem = await exportSPKI(publicKey)
    const { app } = await buildTestApp(t, { JWT_PUBLIC_KEY: pem })
    const now = Math.floor(Date.now() / 1000)
    const good = await new SignJWT({}).setProtectedHeader({ alg }).setSubject('alice').setExpirationTime(now + 300).sign(privateKey)
    const created = await createSession(app, { user_id: 'alice' }, bearer(good))
    t.equal(created.user_id, 'alice')
    const confused = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(now + 300).sign(new TextEncoder().encode(pem))
    t.equal((await app.inject({ url: `/v1/sessions/${created.id}`, headers: bearer(confused) })).statusCode, 401)
    const otherKey = (await generateKeyPair(alg)).privateKey
    const forged = await new SignJWT({}).setProtectedHeader({ alg }).setSubject('alice').setExpirationTime(now + 300).sign(otherKey)
    t.equal((await app.inject({ url: `/v1/sessions/${created.id}`, headers: bearer(forged) })).statusCode, 401)
  })
}

t.test('with no credentials configured the service runs open and says so loudly at start', async (t) => {
  const lines: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)))
  const { app } = await buildTestApp(t, { LOG_LEVEL: 'warn' }, { logStream })
  t.ok(lines.some((line) => JSON.parse(line).level === 40 && /running OPEN/.test(line)), 'a warning at start')
  const created = await createSession(app)
  t.equal((await app.inject({ url: `/v1/sessions/${created.id}` })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/admin/audit' })).statusCode, 200)
})

t.test('with credentials configured there is no open-mode warning', async (t) => {
  const lines: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => lines.push(chunk.toString()))
  await buildTestApp(t, { ...authEnv, LOG_LEVEL: 'warn' }, { logStream })
  t.notOk(lines.join('').includes('running OPEN'))
})

t.test('in production without credentials the service refuses to start; with any of them it starts', async (t) => {
  const base = { NODE_ENV: 'production', REDIS_URL: (await testRedis()).url }
  t.throws(() => loadConfig(base), new ConfigError('API_KEYS', 'is required in production (or ADMIN_API_KEYS, JWT_SECRET, JWT_PUBLIC_KEY): refusing to run an open service'))
  for (const [name, value] of Object.entries(authEnv)) {
    t.doesNotThrow(() => loadConfig({ ...base, [name]: value }), name)
  }
})

t.test('a public key that is neither RSA nor P-256 stops the start with a message naming JWT_PUBLIC_KEY', async (t) => {
  const { publicKey } = await generateKeyPair('EdDSA', { extractable: true })
  const exportedEd = await exportSPKI(publicKey)
  const env = { REDIS_URL: (await testRedis()).url }
  t.throws(() => loadConfig({ ...env, JWT_PUBLIC_KEY: exportedEd }), { name: 'ConfigError', variable: 'JWT_PUBLIC_KEY' })
  t.throws(() => loadConfig({ ...env, JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nnot a key\\n-----END PUBLIC KEY-----' }), { name: 'ConfigError', variable: 'JWT_PUBLIC_KEY' })
})
