// GET /v1/admin/audit: the audit trail of one UTC day, oldest first (registered in the admin scope).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JsonResponse } from '../schemas/common.js'
import { AuditPage, AuditQuery } from '../schemas/audit.js'
import { utcDate } from '../src/domain/time.js'
import { AppError, problems } from '../src/errors.js'

const isCalendarDate = (date: string): boolean => {
  const ms = Date.parse(`${date}T00:00:00Z`)
  return Number.isFinite(ms) && utcDate(ms) === date
}

const audit: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/audit', {
    schema: {
      operationId: 'listAuditEntries',
      summary: 'Audit trail of changes for one UTC day: time, principal, action, session id, request id',
      description: 'Every change made through the API on one UTC day (default today), oldest first, kept AUDIT_RETENTION_SECONDS. Admin API keys only.',
      tags: ['admin'],
      querystring: AuditQuery,
      response: {
        200: JsonResponse('A page of audit entries', AuditPage),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async (request) => {
    const { date = utcDate(Date.now()), cursor, limit } = request.query
    if (!isCalendarDate(date)) {
      throw new AppError('validation_failed', 'querystring/date is not a calendar date', { errors: [{ path: 'querystring/date', message: 'is not a calendar date' }] })
    }
    const page = await fastify.repos.audit.list(date, cursor, limit, request.access.deadline)
    return { entries: page.items, next_cursor: page.nextCursor }
  })
}

export default audit
