// Cross-cutting behaviour of the assembled app: what every response carries, wherever it comes from.
import t from 'tap'
import { Writable } from 'node:stream'
import { buildTestApp } from './helper.js'
import { DOCS_CSP } from '../plugins/swagger.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

interface Probe { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: string, headers?: Record<string, string>, status: number }

const probes: Probe[] = [
  { url: '/health/live', status: 200 },
  { url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
  { url: '/v1/nothing-here', status: 404 },
  { url: '/nothing-here', status: 404 },
  { method: 'PUT', url: '/v1/sessions', status: 405 },
  { url: '/v1/sessions/%ZZ', status: 400 },
  { url: `/v1/sessions/${'a'.repeat(300)}`, status: 400 },
  { method: 'POST', url: '/v1/sessions', payload: '{"user_id":', headers: { 'content-type': 'application/json' }, status: 400 },
  { method: 'POST', url: '/v1/sessions', payload: JSON.stringify({ user_id: 'u', metadata: { pad: 'x'.repeat(3000) } }), headers: { 'content-type': 'application/json' }, status: 413 },
  { method: 'POST', url: '/v1/sessions', payload: 'user_id=u', headers: { 'content-type': 'text/plain' }, status: 415 },
  { method: 'POST', url: '/v1/sessions', payload: 'user_id=u', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 }
]

t.test('every response carries x-request-id, nosniff and frame denial, and no-store on /v1, whatever produced it', async (t) => {
  const { app } = await buildTestApp(t, { BODY_LIMIT_BYTES: '2048' })
  for (const probe of probes) {
    const response = await app.inject({ method: probe.method ?? 'GET', url: probe.url, payload: probe.payload, headers: probe.headers })
    const name = `${probe.method ?? 'GET'} ${probe.url.slice(0, 40)}`
    t.equal(response.statusCode, probe.status, `${name} → ${probe.status}`)
    t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${name} has a request id`)
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${name} has nosniff`)
    t.equal(response.headers['x-frame-options'], 'DENY', `${name} denies framing`)
    t.match(response.headers['content-security-policy'], "frame-ancestors 'none'")
    if (probe.url.startsWith('/v1')) t.equal(response.headers['cache-control'], 'no-store', `${name} is no-store`)
    else t.equal(response.headers['cache-control'], undefined, `${name} leaves caching alone`)
    if (probe.status >= 400) {
      t.equal(response.headers['content-type'], PROBLEM, `${name} is a problem document`)
      t.equal(response.json().request_id, response.headers['x-request-id'], `${name} names its request id`)
    }
  }
})

t.test('secret fields are redacted at the top level of a log call, not only one level down', async (t) => {
  const lines: string[] = []
  const logStream = new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const { app } = await buildTestApp(t, { LOG_LEVEL: 'trace' }, { logStream })
  app.log.info({ password: 'pw-123', token: 'tok-456', content: 'my diary entry', body: { secret: 'sec-789', api_key: 'key-012' } }, 'a careless log call')
  const entry = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'a careless log call')
  t.match(entry, { password: '[redacted]', token: '[redacted]', content: '[redacted]', body: { secret: '[redacted]', api_key: '[redacted]' } })
  for (const secret of ['pw-123', 'tok-456', 'sec-789', 'key-012', 'my diary entry']) t.notMatch(lines.join(''), secret)
})

t.test('/docs has a CSP of its own; the API and everything else keep default-src \'none\'', async (t) => {
  const { app } = await buildTestApp(t)
  const docs = await app.inject('/docs')
  t.equal(docs.statusCode, 200)
  t.equal(docs.headers['content-security-policy'], DOCS_CSP)
  t.match(DOCS_CSP, "frame-ancestors 'none'")
  t.notMatch(DOCS_CSP, /script-src[^;]*'unsafe-inline'/, 'inline styles only, never inline scripts')
  for (const url of ['/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', '/health/live', '/openapi.json']) {
    t.equal((await app.inject(url)).headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", url)
  }
})

t.test('an enum violation on a real route lists the contract\'s values', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'u', kind: 'wizard' } })
  t.equal(response.statusCode, 400)
  t.match(response.json(), {
    code: 'validation_failed',
    detail: 'body/kind must be one of generic, onboarding, narrative, chat',
    errors: [{ path: 'body/kind', message: 'must be one of generic, onboarding, narrative, chat' }]
  })
})
