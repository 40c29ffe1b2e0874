// Security headers for an API that serves JSON only (Swagger UI under /docs sets its own CSP). A fixed
// set written once per response; helmet computed the same headers per request through a middleware
// chain (docs/decisions/0704-static-security-headers.md).
import fp from 'fastify-plugin'

/** Every response carries these (responses that skip the hooks — framework errors — get them too). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'origin-agent-cluster': '?1'
}

export default fp(async function securityHeaders (fastify) {
  fastify.addHook('onRequest', function securityHeaders (_request, reply, done) {
    reply.headers(SECURITY_HEADERS)
    done()
  })
}, { name: 'security-headers' })
