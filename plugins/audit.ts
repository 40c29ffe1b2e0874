// The audit trail (contract §9), registered inside the /v1 scope: every successful change (POST, PUT,
// PATCH, DELETE answered below 400) records who did what to which session. Entries are queued and
// appended in batches (src/repositories/audit-log.ts): recording adds nothing to the response time.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { principalLabel } from '../src/domain/principal.js'

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const CREATED_SESSION = /^\/v1\/sessions\/([A-Za-z0-9_-]{1,64})$/

/** The session a change touched: the :id of a session route, or the one a create points its location at. */
function sessionIdOf (request: FastifyRequest, reply: FastifyReply): string | null {
  const route = request.routeOptions.url ?? ''
  const id = (request.params as { id?: unknown } | undefined)?.id
  if ((route === '/v1/sessions/:id' || route.startsWith('/v1/sessions/:id/')) && typeof id === 'string') return id
  const location = reply.getHeader('location')
  return typeof location === 'string' ? CREATED_SESSION.exec(location)?.[1] ?? null : null
}

export default fp(async function audit (fastify) {
  const log = fastify.repos.audit
  fastify.addHook('onResponse', function recordChange (request, reply, done) {
    // A replayed Idempotency-Key response changed nothing.
    if (CHANGES.has(request.method) && reply.statusCode < 400 && reply.getHeader('idempotent-replayed') !== 'true') {
      log.record({
        principal: principalLabel(request.principal),
        action: `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
        status: reply.statusCode,
        sessionId: sessionIdOf(request, reply),
        requestId: request.id
      })
    }
    done()
  })
}, { name: 'audit', dependencies: ['auth', 'repositories'] })
