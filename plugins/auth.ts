// Authentication, registered inside the /v1 scope (src/app.ts): who is calling (request.principal) and
// whose sessions they may reach (request.access). The hooks run for every /v1 route and for unknown
// /v1 paths (the scope's own not-found handler), never for ops endpoints — the router decides.
//   onRequest  identifies the caller; a missing or bad token leaves an anonymous principal keyed by
//              client IP, so the rate limiter (plugins/rate-limit.ts, registered after) counts it;
//   preParsing refuses the anonymous with 401 before any body is read.
// Authorization that does not depend on a session's data is here too: a preHandler refuses routes
// under /v1/users/{user_id} to anyone but that user or an API key (403), and requireAdmin guards the
// admin scope. Object-level checks on sessions happen atomically in the Lua scripts (request.access).
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { ANY_OWNER, mayActForUser, type Access } from '../src/domain/access.js'
import type { Principal } from '../src/domain/principal.js'
import { createAuthenticator, type AuthFailure, type AuthResult } from '../src/domain/credentials.js'
import { hasNoCredentials } from '../src/config.js'
import { AppError } from '../src/errors.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal, access: Access, authFailure: AuthFailure | null }
  interface FastifyInstance {
    /** onRequest hook of the admin scope: admin API keys only. */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  }
}

/** Owner of no session (user ids never contain a space): what an anonymous caller may reach. */
const NOBODY: Access = { kind: 'user', userId: ' anonymous' }

const OPEN_MODE: Principal = { kind: 'admin', id: 'open-mode' }

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

  // The OpenAPI document says which operations need the bearer token: every route of this scope.
  fastify.addHook('onRoute', (route) => {
    if (route.schema !== undefined) route.schema.security ??= [{ bearer: [] }]
  })

  fastify.decorateRequest('principal', null as any)
  fastify.decorateRequest('access', null as any)
  fastify.decorateRequest('authFailure', null)

  // Not authenticated: known by address (the rate limit counts it so), reaching nothing.
  function anonymous (request: FastifyRequest): void {
    request.principal = { kind: 'anonymous', id: request.ip }
    request.access = NOBODY
  }

  function settle (request: FastifyRequest, result: AuthResult): void {
    if ('failure' in result) {
      anonymous(request)
      request.authFailure = result.failure
      request.log.debug({ reason: result.failure }, 'request not authenticated')
      return
    }
    request.principal = result.principal
    request.access = result.access
  }

  fastify.addHook('onRequest', function identify (request, _reply, done) {
    if (open) {
      request.principal = OPEN_MODE
      request.access = ANY_OWNER
      done()
      return
    }
    const result = authenticator.authenticate(request.headers.authorization)
    if (!(result instanceof Promise)) {
      settle(request, result)
      done()
      return
    }
    result.then((verified) => { settle(request, verified); done() }, (err: Error) => { anonymous(request); done(err) })
  })

  fastify.addHook('preParsing', function refuseAnonymous (request, _reply, payload, done) {
    if (request.authFailure !== null) done(unauthorized(request.authFailure))
    else done(null, payload)
  })

  fastify.decorate('requireAdmin', function requireAdmin (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
    // Runs in onRequest of the admin scope, before preParsing refuses the unauthenticated.
    if (request.authFailure !== null) done(unauthorized(request.authFailure))
    else if (request.principal.kind !== 'admin') done(new AppError('forbidden', 'Admin API key required'))
    else done()
  })

  // Every route of the scope with a {user_id}: that user's token, or a service/admin key.
  fastify.addHook('preHandler', function requireUser (request, _reply, done) {
    const userId = (request.params as { user_id?: unknown } | undefined)?.user_id
    if (typeof userId === 'string' && !mayActForUser(request.access, userId)) done(new AppError('forbidden', 'This token may not act for that user'))
    else done()
  })
}, { name: 'auth', dependencies: ['config'] })
