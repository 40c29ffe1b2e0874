import t from 'tap'
import { PassThrough } from 'node:stream'
import { adminKey, authEnv, bearer, buildTestApp, json, serviceKey, userToken } from '../helper.js'

// A day-long window: the test never straddles a window boundary in practice.
const limited = { ...authEnv, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '86400000' }
const missing = '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA'

t.test('the request over RATE_LIMIT_MAX in a window is a 429 rate_limited problem with retry-after', async (t) => {
  const { app } = await buildTestApp(t, limited)
  const statuses: number[] = []
  for (let i = 0; i < 3; i++) {
    const response = await app.inject({ url: missing, headers: bearer(serviceKey) })
    statuses.push(response.statusCode)
    t.equal(response.headers['ratelimit-limit'], '3')
    t.equal(response.headers['ratelimit-remaining'], String(2 - i))
  }
  t.same(statuses, [404, 404, 404])
  const refused = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u' }, headers: bearer(serviceKey) })
  t.equal(refused.statusCode, 429)
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(refused), { code: 'rate_limited', status: 429 })
  const retryAfter = Number(refused.headers['retry-after'])
  t.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 86400, `retry-after ${retryAfter}`)
  t.equal(refused.headers['ratelimit-remaining'], '0')
})

t.test('each principal has its own budget: key name, user sub, and client IP for the anonymous', async (t) => {
  const { app } = await buildTestApp(t, limited)
  const alice = bearer(await userToken('alice'))
  for (let i = 0; i < 3; i++) await app.inject({ url: missing, headers: alice })
  t.equal((await app.inject({ url: missing, headers: alice })).statusCode, 429, 'alice is over her budget')
  t.equal((await app.inject({ url: missing, headers: bearer(await userToken('alice', { expiresIn: 600 })) })).statusCode, 429, 'a fresh token of alice shares it')
  t.equal((await app.inject({ url: missing, headers: bearer(await userToken('bob')) })).statusCode, 404, 'bob is not')
  t.equal((await app.inject({ url: missing, headers: bearer(serviceKey) })).statusCode, 404, 'the service key is not')
  t.equal((await app.inject({ url: missing, headers: bearer(adminKey) })).statusCode, 404, 'the admin key is not')

  const anonymous = async (ip: string): Promise<number> => (await app.inject({ url: missing, remoteAddress: ip })).statusCode
  t.same([await anonymous('10.0.0.1'), await anonymous('10.0.0.1'), await anonymous('10.0.0.1')], [401, 401, 401])
  t.equal(await anonymous('10.0.0.1'), 429, 'an IP guessing tokens is limited')
  t.equal(await anonymous('10.0.0.2'), 401, 'another IP is not')
})

t.test('health, metrics, docs and the OpenAPI document are never rate limited', async (t) => {
  const { app } = await buildTestApp(t, limited)
  for (let i = 0; i < 5; i++) await app.inject({ url: missing })
  for (const url of ['/health/live', '/health/ready', '/health', '/metrics', '/openapi.json']) {
    for (let i = 0; i < 5; i++) {
      const response = await app.inject({ url })
      t.equal(response.statusCode, 200, `${url} #${i + 1}`)
      t.notOk(response.headers['ratelimit-limit'], `${url} carries no rate-limit headers`)
    }
  }
})

function logCapture (): { logStream: PassThrough, lines: () => any[] } {
  const chunks: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
  return { logStream, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) }
}

const probeRoute = async (v1: any): Promise<void> => { v1.get('/probe', async () => ({ ok: true })) }

t.test('counters live in Redis with a TTL no longer than the window, named by a digest of the principal', async (t) => {
  const { app, allKeys, redis, config } = await buildTestApp(t, { ...authEnv, RATE_LIMIT_WINDOW_MS: '60000' })
  await app.inject({ url: missing, headers: bearer(await userToken('alice')) })
  await app.inject({ url: missing, remoteAddress: '192.0.2.7' })
  await app.repos.rateLimiter.flush()
  const counters = (await allKeys({ bookkeeping: true })).filter((key) => key.includes(':ratelimit:'))
  t.equal(counters.length, 2)
  for (const key of counters) {
    t.match(key, new RegExp(`^global:sessiond:${config.keys.env}:ratelimit:\\{[0-9a-f]{32}\\}:v2:\\d+$`))
    t.equal(await redis.get(key), '1')
    const ttl = await redis.pttl(key)
    t.ok(ttl > 0 && ttl <= 60000, `${key} expires within the window (${ttl} ms)`)
    t.notMatch(key, /alice|192\.0\.2\.7/)
  }
})

t.test('instances share the budget through Redis', async (t) => {
  const env = { ...limited, KEY_ENV: `shared${Date.now()}` }
  const one = await buildTestApp(t, env)
  const two = await buildTestApp(t, env)
  await one.app.inject({ url: missing, headers: bearer(serviceKey) })
  await two.app.inject({ url: missing, headers: bearer(serviceKey) })
  await one.app.inject({ url: missing, headers: bearer(serviceKey) })
  // Each instance adds its counts to the shared counter in batches (within 100 ms) and learns the total.
  await one.app.repos.rateLimiter.flush()
  await two.app.repos.rateLimiter.flush()
  t.equal((await two.app.inject({ url: missing, headers: bearer(serviceKey) })).statusCode, 429, 'two knows of one\'s requests')
})

t.test('counting costs no round trip: a request is answered while Redis is paused', async (t) => {
  const { app, redis } = await buildTestApp(t, { ...limited, REDIS_COMMAND_TIMEOUT_MS: '5000' }, { extraRoutes: probeRoute })
  t.equal((await app.inject({ url: '/v1/probe', headers: bearer(serviceKey) })).statusCode, 200)
  await app.repos.rateLimiter.flush()
  await redis.client('PAUSE', 2000, 'ALL')
  const started = performance.now()
  t.equal((await app.inject({ url: '/v1/probe', headers: bearer(serviceKey) })).statusCode, 200)
  const took = performance.now() - started
  t.ok(took < 500, `answered in ${took.toFixed(1)} ms while Redis stays paused for 2000 ms`)
  await redis.client('UNPAUSE')
})

t.test('when Redis is down each instance still limits its own traffic, warns once, and recovers', async (t) => {
  const { logStream, lines } = logCapture()
  const { app, redis } = await buildTestApp(t, { ...limited, LOG_LEVEL: 'info', REDIS_COMMAND_TIMEOUT_MS: '100' }, { logStream, extraRoutes: probeRoute })
  await redis.client('PAUSE', 5000, 'WRITE')
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) {
    statuses.push((await app.inject({ url: '/v1/probe', headers: bearer(serviceKey) })).statusCode)
    await app.repos.rateLimiter.flush()
  }
  t.same(statuses, [200, 200, 200, 429], 'the local count still applies')
  const data = await app.inject({ url: missing, headers: bearer(adminKey) })
  t.equal(data.statusCode, 503, 'data access answers 503 on its own')
  t.equal(json(data).code, 'redis_unavailable')
  const warning = 'rate limiter cannot reach Redis: limiting each instance on its own counts'
  t.equal(lines().filter((line) => line.msg === warning).length, 1, 'one warning per outage')
  await redis.client('UNPAUSE')
  await app.repos.rateLimiter.flush()
  t.ok(lines().some((line) => line.msg === 'rate limiter reaches Redis again'))
})

t.test('a percent-encoded path to a /v1 route is counted like the plain one', async (t) => {
  const { app } = await buildTestApp(t, limited)
  for (let i = 0; i < 3; i++) await app.inject({ url: '/%761/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: bearer(serviceKey) })
  t.equal((await app.inject({ url: missing, headers: bearer(serviceKey) })).statusCode, 429)
})

t.test('with TRUST_PROXY, anonymous callers behind a proxy are limited by their forwarded address', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, RATE_LIMIT_MAX: '2', TRUST_PROXY: 'true' })
  const from = async (ip: string) => await app.inject({ method: 'GET', url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: { 'x-forwarded-for': ip } })
  t.same([(await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode, (await from('203.0.113.1')).statusCode], [401, 401, 429])
  t.equal((await from('203.0.113.2')).statusCode, 401, 'another client behind the same proxy has its own budget')
})
