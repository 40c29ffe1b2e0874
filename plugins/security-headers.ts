// Security headers for an API that serves JSON only (and Swagger UI under /docs, which sets its own CSP).
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/** The contract's minimum (§1); helmet sets these and more. Responses that skip the hooks get these. */
export const REQUIRED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none';frame-ancestors 'none'"
}

export default fp(async function securityHeaders (fastify) {
  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }, useDefaults: false },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    hsts: false // TLS terminates in front of the service; HSTS is the edge's to set.
  })
}, { name: 'security-headers' })
