// Authentication: who is calling (request.principal) and whose sessions they may reach (request.access).
// This first version runs the open development mode only; credentials arrive with the security step.
import fp from 'fastify-plugin'
import { ANY_OWNER, type Access } from '../src/domain/access.js'
import type { Principal } from '../src/domain/principal.js'
import { hasNoCredentials } from '../src/config.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal, access: Access }
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
}, { name: 'auth', dependencies: ['config'] })
