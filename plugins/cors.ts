// CORS for browser frontends (contract §1), registered inside the /v1 scope so that it applies to the
// API only. CORS_ORIGINS unset: nothing is registered (no CORS headers; a preflight is 404 like any
// unknown route). A listed origin gets its own origin back with credentials allowed; `*` (development
// only) gets `*` without credentials; any other origin gets no CORS headers at all (docs/decisions/0600).
//
// Preflights are answered in this plugin's onRequest hook and end there: no route handler, no body,
// no authentication (a browser never sends authorization on a preflight). Registered first in the /v1
// scope, it also runs before the scope's auth and rate-limit hooks.
import fp from 'fastify-plugin'
import fastifyCors from '@fastify/cors'

export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'last-event-id', 'x-request-id']
export const CORS_EXPOSED_HEADERS = ['etag', 'location', 'retry-after', 'x-request-id']
/** How long a browser may reuse a preflight answer (Chromium caps it at 7200 s). */
export const CORS_MAX_AGE_SECONDS = 600

export default fp(async function cors (fastify) {
  const origins = fastify.config.corsOrigins
  if (origins !== '*' && origins.length === 0) return
  const listed = new Set(origins === '*' ? [] : origins)
  await fastify.register(fastifyCors, {
    // A function, so that `vary: origin` is always set and a disallowed origin gets no header at all
    // (with a plain list @fastify/cors still sends allow-credentials and expose-headers to anyone).
    origin: (origin, callback) => {
      if (origin === undefined) callback(null, false)
      else if (origins === '*') callback(null, '*')
      else callback(null, listed.has(origin))
    },
    credentials: origins !== '*',
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    // An OPTIONS without access-control-request-method from an allowed origin is answered like a
    // preflight rather than with @fastify/cors's text/plain 400 (every error here is problem+json).
    strictPreflight: false
  })
}, { name: 'cors', dependencies: ['config'] })
