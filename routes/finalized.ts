// GET /v1/admin/finalized: pages the stream of finalized results (registered in the admin scope).
// Downstream services should consume the stream itself with a consumer group: docs/finalized-stream.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JsonResponse } from '../schemas/common.js'
import { FinalizedQuery, FinalizedPage } from '../schemas/finalize.js'
import { problems } from '../src/errors.js'

const finalized: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/finalized', {
    schema: {
      operationId: 'listFinalizedSessions',
      summary: 'Page the stream of finalized sessions, oldest first',
      description: 'Pages the durable stream of finalized results, oldest first, after a stream entry id or a cursor. Downstream services should read the stream itself with a consumer group (docs/finalized-stream.md). Admin API keys only.',
      tags: ['admin'],
      querystring: FinalizedQuery,
      response: {
        200: JsonResponse('A page of finalized results', FinalizedPage),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async (request) => {
    const { after, cursor, limit } = request.query
    const page = await repos.finalize.listFinalized({ after, cursor }, limit, request.access)
    return { entries: page.items, next_cursor: page.nextCursor }
  })
}

export default finalized
