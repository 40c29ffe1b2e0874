// /v1/sessions/{id}/progress: onboarding progress (contract §4).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SessionParams, problems } from '../schemas/common.js'
import { ProgressRef } from '../schemas/summary.js'
import { etagOf } from '../src/domain/etag.js'

const progress: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/sessions/:id/progress', {
    schema: {
      summary: 'Read onboarding progress',
      tags: ['steps'],
      params: SessionParams,
      response: { 200: ProgressRef, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { version, progress } = await repos.steps.progress(request.params.id, request.access)
    return await reply.header('etag', etagOf(version)).send(progress)
  })
}

export default progress
