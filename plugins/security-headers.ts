// Security headers for an API that serves JSON only (Swagger UI under /docs sets its own CSP). A fixed
// set written once per response; helmet computed the same headers per request through a middleware
// chain (docs/decisions/0704-static-security-headers.md).
import fp from 'fastify-plugin'

/**
 * Every response carries these (responses that skip the hooks — framework errors — get them too): the
 * headers OWASP's REST Security Cheat Sheet lists for every API response (with cache-control: no-store,
 * plugins/no-store.ts, and the content type). HSTS is the TLS edge's to set. Headers that only matter
 * to HTML documents (referrer-policy, cross-origin-resource-policy, x-download-options, …) are left
 * out: each header costs every response ~0.6 µs of server CPU and its bytes (docs/decisions/0704).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'"
}

export default fp(async function securityHeaders (fastify) {
  fastify.addHook('onRequest', function securityHeaders (_request, reply, done) {
    reply.headers(SECURITY_HEADERS)
    done()
  })
}, { name: 'security-headers' })
