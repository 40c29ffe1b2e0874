// Authentication: who is calling (request.principal) and whose sessions they may reach (request.access).
// Authorization that does not depend on a session's data lives here too, as hooks every route passes:
//   - /v1/users/{user_id}/… only for that user (or a service/admin key): 403 otherwise;
//   - /v1/admin/* only for admin keys (fastify.requireAdmin, added to the admin scope in src/app.ts).
// Object-level checks on sessions happen atomically in the Lua scripts, driven by request.access.
//
// The order on /v1: onRequest identifies the caller (a missing or bad token leaves an anonymous
// principal keyed by client IP), the rate limiter counts it (plugins/rate-limit.ts), and preParsing
// refuses the anonymous with 401 before the body is read.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ANY_OWNER, mayActForUser, type Access } from '../src/domain/access.js'
import type { Principal } from '../src/domain/principal.js'
import { createAuthenticator, type AuthFailure } from '../src/domain/credentials.js'
import { hasNoCredentials } from '../src/config.js'
import { AppError } from '../src/errors.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal, access: Access }
  interface FastifyInstance { requireAdmin: (request: FastifyRequest) => Promise<void> }
}

/** True for the API (everything under /v1); ops endpoints (health, metrics, docs, openapi) are open. */
export function isApiPath (path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/')
}

/** The path of a URL as the router sees it (percent-decoded), so /%761/… cannot slip past as non-API. */
function decodedPath (url: string): string {
  const path = url.split('?')[0] ?? ''
  try { return decodeURIComponent(path) } catch { return path }
}

/** Whether a request is an API request: by the route it matched, or by its decoded path when unmatched. */
export function isApiRequest (request: FastifyRequest): boolean {
  return isApiPath(request.routeOptions.url ?? '') || isApiPath(decodedPath(request.url))
}

/** Owner of no session (user ids never contain a space): what an anonymous caller may reach. */
const NOBODY: Access = { kind: 'user', userId: ' anonymous' }

const OPEN_MODE: Principal = { kind: 'admin', id: 'open-mode' }

const failures = new WeakMap<FastifyRequest, AuthFailure>()

function unauthorized (failure: AuthFailure): AppError {
  const missing = failure === 'missing_token'
  return new AppError('unauthorized', missing ? 'An authorization: Bearer <token> header is required' : 'The bearer token is not valid', {}, {
    'www-authenticate': missing ? 'Bearer realm="sessiond"' : 'Bearer realm="sessiond", error="invalid_token"'
  })
}

export default fp(async function auth (fastify) {
  const open = hasNoCredentials(fastify.config)
  if (open) {
    fastify.log.warn('!!! sessiond is running OPEN: no API_KEYS, ADMIN_API_KEYS, JWT_SECRET or JWT_PUBLIC_KEY configured. Anyone can read and write every session. Never do this outside development. !!!')
  }
  const authenticator = await createAuthenticator(fastify.config.auth)

  // The OpenAPI document says which operations need the bearer token.
  fastify.addHook('onRoute', (route) => {
    if (isApiPath(route.url) && route.schema !== undefined) route.schema.security ??= [{ bearer: [] }]
  })

  fastify.decorateRequest('principal', null as any)
  fastify.decorateRequest('access', null as any)

  fastify.addHook('onRequest', async (request) => {
    if (open) {
      request.principal = OPEN_MODE
      request.access = ANY_OWNER
      return
    }
    request.principal = { kind: 'anonymous', id: request.ip }
    request.access = NOBODY
    if (!isApiRequest(request)) return
    const result = await authenticator.authenticate(request.headers.authorization)
    if ('failure' in result) {
      failures.set(request, result.failure)
      request.log.debug({ reason: result.failure }, 'request not authenticated')
      return
    }
    request.principal = result.principal
    request.access = result.access
  })

  fastify.addHook('preParsing', async (request: FastifyRequest, _reply: FastifyReply, payload) => {
    const failure = failures.get(request)
    if (failure !== undefined) throw unauthorized(failure)
    return payload
  })

  fastify.addHook('preHandler', async (request) => {
    const userId = (request.params as { user_id?: unknown } | undefined)?.user_id
    if (typeof userId === 'string' && !mayActForUser(request.access, userId)) {
      throw new AppError('forbidden', 'This token may not act for that user')
    }
  })

  fastify.decorate('requireAdmin', async (request: FastifyRequest) => {
    // Runs in onRequest of the admin scope, before preParsing refuses the unauthenticated.
    const failure = failures.get(request)
    if (failure !== undefined) throw unauthorized(failure)
    if (request.principal.kind !== 'admin') throw new AppError('forbidden', 'Admin API key required')
  })
}, { name: 'auth', dependencies: ['config'] })
