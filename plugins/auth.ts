// Authentication: who is calling (request.principal) and whose sessions they may reach (request.access).
// Authorization that does not depend on a session's data lives here too, as hooks every route passes:
//   - /v1/users/{user_id}/… only for that user (or a service/admin key): 403 otherwise;
//   - /v1/admin/* only for admin keys (fastify.requireAdmin, added to the admin scope in src/app.ts).
// Object-level checks on sessions happen atomically in the Lua scripts, driven by request.access.
// This first version runs the open development mode only; credentials arrive with the security step.
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { ANY_OWNER, mayActForUser, type Access } from '../src/domain/access.js'
import type { Principal } from '../src/domain/principal.js'
import { hasNoCredentials } from '../src/config.js'
import { AppError } from '../src/errors.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal, access: Access }
  interface FastifyInstance { requireAdmin: (request: FastifyRequest) => Promise<void> }
}

export default fp(async function auth (fastify) {
  if (hasNoCredentials(fastify.config)) {
    fastify.log.warn('!!! sessiond is running OPEN: no API_KEYS, ADMIN_API_KEYS, JWT_SECRET or JWT_PUBLIC_KEY configured. Anyone can read and write every session. Never do this outside development. !!!')
  }
  fastify.decorateRequest('principal', null as any)
  fastify.decorateRequest('access', null as any)
  fastify.addHook('onRequest', async (request) => {
    request.principal = { kind: 'admin', id: 'open-mode' }
    request.access = ANY_OWNER
  })

  fastify.addHook('preHandler', async (request) => {
    const userId = (request.params as { user_id?: unknown } | undefined)?.user_id
    if (typeof userId === 'string' && !mayActForUser(request.access, userId)) {
      throw new AppError('forbidden', 'This token may not act for that user')
    }
  })

  fastify.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (request.principal.kind !== 'admin') throw new AppError('forbidden', 'Admin API key required')
  })
}, { name: 'auth', dependencies: ['config'] })
