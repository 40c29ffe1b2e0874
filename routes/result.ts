// GET /v1/sessions/{id}/result (contract §5): the stored Finalized document of a finalized session.
// Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SessionParams, JsonResponse, ConditionalReadHeaders, NotModified } from '../schemas/common.js'
import { Finalized } from '../schemas/finalize.js'
import { finalizedExample } from '../schemas/examples.js'
import { problems } from '../src/errors.js'

const result: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/sessions/:id/result', {
    schema: {
      operationId: 'getSessionResult',
      summary: 'The stored result of a finalized session',
      description: 'Returns the `Finalized` document that finalize stored, the same every time, for as long as the finalized session is kept (FINALIZED_RETENTION_SECONDS). `not_found` while the session is not finalized. Reading it slides nothing.',
      tags: ['finalize'],
      params: SessionParams,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The stored result; `etag` is the session version', Finalized, { headers: ['etag'], example: finalizedExample }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 'not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { result, version } = await repos.finalize.result(request.params.id, request.access)
    return reply.versioned(version, result)
  })
}

export default result
