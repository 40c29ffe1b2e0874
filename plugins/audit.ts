// The audit trail (contract §9), registered inside the /v1 scope: every successful change (POST, PUT,
// PATCH, DELETE answered below 400) records who did what to which session; with AUDIT_READS=true
// (contract §13) so does every read of stored content (a GET of CONTENT_READS answered 2xx). Entries are
// queued and appended in batches (src/repositories/audit-log.ts): recording adds nothing to the
// response time.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { principalLabel } from '../src/domain/principal.js'

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const CREATED_SESSION = /^\/v1\/sessions\/([A-Za-z0-9_-]{1,64})$/

/** The routes whose GET answers stored content (sessions, steps, narrative, histories, messages, results, snapshots, backups). */
export const CONTENT_READS: ReadonlySet<string> = new Set([
  '/v1/sessions/:id', '/v1/sessions/:id/summary', '/v1/sessions/:id/steps', '/v1/sessions/:id/steps/:n',
  '/v1/sessions/:id/narrative', '/v1/sessions/:id/narrative/:context_type', '/v1/sessions/:id/scenes', '/v1/sessions/:id/choices',
  '/v1/sessions/:id/messages', '/v1/sessions/:id/result', '/v1/users/:user_id/sessions', '/v1/users/:user_id/progress',
  '/v1/users/:user_id/progress/latest', '/v1/admin/export', '/v1/admin/finalized'
])

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
  const auditReads = fastify.config.auditReads
  fastify.addHook('onResponse', function recordChange (request, reply, done) {
    const recorded = CHANGES.has(request.method)
      // A replayed Idempotency-Key response changed nothing.
      ? reply.statusCode < 400 && reply.getHeader('idempotent-replayed') !== 'true'
      // A 304 answered no content.
      : auditReads && request.method === 'GET' && reply.statusCode < 300 && CONTENT_READS.has(request.routeOptions.url ?? '')
    if (recorded) {
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
}, { name: 'audit', dependencies: ['config', 'auth', 'repositories'] })
