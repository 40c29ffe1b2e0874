// GET /v1/admin/finalized: pages the stream of finalized results (registered in the admin scope).
// Downstream services should consume the stream itself with a consumer group: docs/finalized-stream.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problems } from '../schemas/common.js'
import { FinalizedQuery, FinalizedPage } from '../schemas/finalize.js'

const finalized: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/finalized', {
    schema: {
      summary: 'Page the stream of finalized sessions, oldest first',
      tags: ['admin'],
      querystring: FinalizedQuery,
      response: { 200: FinalizedPage, ...problems(400, 401, 403, 429, 500, 503) }
    }
  }, async (request) => {
    const { after, cursor, limit } = request.query
    const page = await repos.finalize.listFinalized({ after, cursor }, limit, request.access)
    return { entries: page.items, next_cursor: page.nextCursor }
  })
}

export default finalized
