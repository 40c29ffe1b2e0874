// GET /v1/admin/stats (contract §9): live sessions by kind and state, and created / finalized / expired /
// deleted per UTC day for the last 30 days, from counters the changes keep (registered in the admin scope).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JsonResponse } from '../schemas/common.js'
import { Stats } from '../schemas/admin.js'
import { problems } from '../src/errors.js'

const stats: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/stats', {
    schema: {
      operationId: 'getStats',
      summary: 'Live sessions by kind and state, and sessions created, finalized, expired and deleted per day',
      description: 'Computed without a scan: live sessions are summed from per-slot counters that every change keeps (at most a few seconds old, `live.as_of`); the last 30 UTC days come from one counter hash per day that every instance adds to in batches (within a second of the change). `npx sessiond stats` prints the same. Admin API keys only.',
      tags: ['admin'],
      response: {
        200: JsonResponse('Session statistics', Stats),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async () => await fastify.repos.stats.read())
}

export default stats
