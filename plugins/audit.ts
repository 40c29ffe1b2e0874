// The audit trail (contract §9): every successful change under /v1 (POST, PUT, PATCH, DELETE answered
// below 400) records who did what to which session. Recorded before the response leaves, so a client
// that saw success can find its entry; a failed audit write is logged and never fails the request.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isApiRequest } from './auth.js'
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
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!CHANGES.has(request.method) || reply.statusCode >= 400 || !isApiRequest(request)) return payload
    // A replayed Idempotency-Key response changed nothing.
    if (reply.getHeader('idempotent-replayed') === 'true') return payload
    await fastify.repos.audit.record({
      principal: principalLabel(request.principal),
      action: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      status: reply.statusCode,
      sessionId: sessionIdOf(request, reply),
      requestId: request.id
    }).catch((err: Error) => {
      request.log.error({ err: { message: err.message, name: err.name } }, 'could not record the audit entry of a change')
    })
    return payload
  })
}, { name: 'audit', dependencies: ['auth', 'repositories'] })
