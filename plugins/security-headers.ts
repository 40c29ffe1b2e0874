// Security headers for an API that serves JSON only (Swagger UI under /docs sets its own CSP). A fixed
// set written once per response; helmet computed the same headers per request through a middleware
// chain (docs/decisions/0704-static-security-headers.md).
import fp from 'fastify-plugin'

/**
 * Every response carries these (responses that skip the hooks — framework errors — get them too): what
 * OWASP's REST Security Cheat Sheet asks of a JSON API. HSTS is the TLS edge's to set; headers that
 * only matter to HTML documents in old browsers (x-download-options, x-dns-prefetch-control,
 * x-permitted-cross-domain-policies) are left out.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer'
}

export default fp(async function securityHeaders (fastify) {
  fastify.addHook('onRequest', function securityHeaders (_request, reply, done) {
    reply.headers(SECURITY_HEADERS)
    done()
  })
}, { name: 'security-headers' })
