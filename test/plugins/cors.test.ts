// CORS on /v1 (contract §1), in the assembled app. The real browser's view is test/e2e/cors-browser.test.ts.
import t from 'tap'
import { authEnv, bearer, buildTestApp, serviceKey } from '../helper.js'

const FRONTEND = 'http://app.example.test:3000'
const OTHER = 'http://evil.example.test'
const missing = '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA'

const preflight = (origin: string, url = '/v1/sessions/abc', method = 'PATCH') => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,if-match' }
})

const corsHeaders = (headers: Record<string, unknown>): string[] => Object.keys(headers).filter((name) => name.startsWith('access-control-'))

t.test('CORS_ORIGINS unset: no CORS headers, and a preflight is 404 like any unknown route, never 405', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/v1/sessions', '/v1/sessions/abc', '/v1/nowhere', '/health/live']) {
    const response = await app.inject(preflight(FRONTEND, url))
    t.equal(response.statusCode, 404, `OPTIONS ${url}`)
    t.match(response.json(), { code: 'not_found', status: 404 })
    t.equal(response.headers.allow, undefined, 'no allow header: it is not a 405')
    t.same(corsHeaders(response.headers), [], 'no CORS headers')
  }
  const bare = await app.inject({ method: 'OPTIONS', url: '/v1/sessions' })
  t.equal(bare.statusCode, 404, 'an OPTIONS without Origin is 404 too')
  const get = await app.inject({ url: missing, headers: { origin: FRONTEND } })
  t.equal(get.statusCode, 404)
  t.same(corsHeaders(get.headers), [], 'an API response carries no CORS headers')
})

t.test('a preflight from a listed origin is 204 with the methods and headers, and needs no credentials', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, CORS_ORIGINS: `${FRONTEND}, https://other.example.test` })
  for (const url of ['/v1/sessions', '/v1/sessions/abc', '/v1/sessions/abc/steps/3', '/v1/admin/audit']) {
    const response = await app.inject(preflight(FRONTEND, url))
    t.equal(response.statusCode, 204, `OPTIONS ${url} without authorization`)
    t.equal(response.body, '')
    t.equal(response.headers['access-control-allow-origin'], FRONTEND, 'its own origin, never *')
    t.equal(response.headers['access-control-allow-credentials'], 'true')
    t.equal(response.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, PATCH, DELETE')
    t.equal(response.headers['access-control-allow-headers'],
      'authorization, content-type, if-match, if-none-match, idempotency-key, last-event-id, x-request-id')
    t.equal(response.headers['access-control-max-age'], '600')
    t.match(response.headers.vary, /\borigin\b/i)
    t.match(response.headers['x-request-id'], /.+/, 'it still has a request id')
  }
})

t.test('API responses to a listed origin expose etag, location, retry-after and x-request-id — errors included', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, CORS_ORIGINS: FRONTEND })
  const created = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u1' }, headers: { ...bearer(serviceKey), origin: FRONTEND } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['access-control-allow-origin'], FRONTEND)
  t.equal(created.headers['access-control-allow-credentials'], 'true')
  t.equal(created.headers['access-control-expose-headers'], 'etag, location, retry-after, x-request-id')
  t.match(created.headers.vary, /\borigin\b/i)
  // A browser shows JS an error response only if it carries the CORS headers too.
  for (const [name, headers] of [['401', { origin: FRONTEND }], ['404', { origin: FRONTEND, ...bearer(serviceKey) }]] as const) {
    const response = await app.inject({ url: missing, headers })
    t.equal(String(response.statusCode), name)
    t.equal(response.headers['access-control-allow-origin'], FRONTEND, `a ${name} carries allow-origin`)
    t.equal(response.headers['access-control-expose-headers'], 'etag, location, retry-after, x-request-id')
  }
})

t.test('an origin that is not listed gets no CORS headers at all; its preflight is answered like an unknown route', async (t) => {
  const open = await buildTestApp(t, { CORS_ORIGINS: FRONTEND })
  const notFound = await open.app.inject(preflight(OTHER))
  t.equal(notFound.statusCode, 404, 'open mode: 404')
  t.match(notFound.json(), { code: 'not_found' })
  t.same(corsHeaders(notFound.headers), [])

  const { app } = await buildTestApp(t, { ...authEnv, CORS_ORIGINS: FRONTEND })
  const refused = await app.inject(preflight(OTHER))
  const unknownRoute = await app.inject({ url: '/v1/nowhere' })
  t.equal(refused.statusCode, unknownRoute.statusCode, 'with credentials configured: the 401 of any anonymous /v1 request')
  t.match(refused.json(), { code: unknownRoute.json().code })
  t.same(corsHeaders(refused.headers), [])
  const get = await app.inject({ url: missing, headers: { origin: OTHER, ...bearer(serviceKey) } })
  t.equal(get.statusCode, 404, 'the request itself is served (a browser just does not show it)')
  t.same(corsHeaders(get.headers), [])
  t.match(get.headers.vary, /\borigin\b/i, 'vary: origin, so a shared cache does not hand one origin\'s answer to another')
  const sameOrigin = await app.inject({ url: missing, headers: bearer(serviceKey) })
  t.same(corsHeaders(sameOrigin.headers), [], 'no Origin header: no CORS headers')
})

t.test('CORS_ORIGINS=* (development) allows any origin without credentials', async (t) => {
  const { app } = await buildTestApp(t, { CORS_ORIGINS: '*' })
  const response = await app.inject(preflight(OTHER))
  t.equal(response.statusCode, 204)
  t.equal(response.headers['access-control-allow-origin'], '*')
  t.equal(response.headers['access-control-allow-credentials'], undefined, 'never credentials with *')
  const get = await app.inject({ url: missing, headers: { origin: OTHER } })
  t.equal(get.headers['access-control-allow-origin'], '*')
  t.equal(get.headers['access-control-expose-headers'], 'etag, location, retry-after, x-request-id')
})

t.test('ops endpoints are outside the /v1 scope: no CORS headers even for a listed origin', async (t) => {
  const { app } = await buildTestApp(t, { CORS_ORIGINS: FRONTEND })
  for (const url of ['/health/live', '/openapi.json']) {
    const response = await app.inject({ url, headers: { origin: FRONTEND } })
    t.equal(response.statusCode, 200)
    t.same(corsHeaders(response.headers), [], url)
  }
  t.equal((await app.inject(preflight(FRONTEND, '/health/live', 'GET'))).statusCode, 404, 'and no preflight there')
})

t.test('preflights are never counted against the rate limit', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, CORS_ORIGINS: FRONTEND, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '86400000' })
  for (let i = 0; i < 6; i++) {
    const response = await app.inject(preflight(FRONTEND))
    t.equal(response.statusCode, 204, `preflight #${i + 1}`)
    t.equal(response.headers['ratelimit-limit'], undefined, 'not counted')
  }
})
