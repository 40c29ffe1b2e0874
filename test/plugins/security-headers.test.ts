// The security-headers plugin alone on a bare Fastify.
import t from 'tap'
import Fastify from 'fastify'
import configPlugin from '../../plugins/config.js'
import securityHeaders, { SECURITY_HEADERS } from '../../plugins/security-headers.js'
import { loadConfig } from '../../src/config.js'

t.test('every response says nosniff, denies framing and allows no active content', async (t) => {
  const app = Fastify()
  await app.register(configPlugin, { config: loadConfig({}) })
  await app.register(securityHeaders)
  app.get('/v1/ok', async () => ({ ok: true }))
  app.get('/v1/fail', async () => { throw new Error('x') })
  t.teardown(() => app.close())
  for (const url of ['/v1/ok', '/v1/fail', '/v1/missing']) {
    const response = await app.inject(url)
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${url} nosniff`)
    t.equal(response.headers['x-frame-options'], 'DENY', `${url} x-frame-options`)
    t.equal(response.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", `${url} CSP`)
    t.equal(response.headers['strict-transport-security'], undefined, 'HSTS is left to the TLS edge')
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      t.equal(response.headers[name], value, `${url}: ${name} (the one list frameworkErrors uses too)`)
    }
    t.equal(response.headers['x-powered-by'], undefined)
  }
})
