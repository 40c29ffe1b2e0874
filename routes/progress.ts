// /v1/sessions/{id}/progress: onboarding progress (contract §4).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SessionParams, JsonResponse, NotModified, ConditionalReadHeaders } from '../schemas/common.js'
import { ProgressRef } from '../schemas/summary.js'
import { problems } from '../src/errors.js'

const progress: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/sessions/:id/progress', {
    schema: {
      operationId: 'getProgress',
      summary: 'Read onboarding progress',
      description: 'How many of the session\'s `total_steps` are saved, which ones, and the lowest unsaved step (`next_step`, null when all are saved).',
      tags: ['steps'],
      params: SessionParams,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The progress; `etag` is the session version', ProgressRef, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { version, progress } = await repos.steps.progress(request.params.id, request.access)
    return reply.versioned(version, progress)
  })
}

export default progress
