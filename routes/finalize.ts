// POST /v1/sessions/{id}/finalize (contract §5). Idempotent by nature: finalizing again returns the
// stored result, so no Idempotency-Key is needed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, JsonResponse, withExample } from '../schemas/common.js'
import { FinalizeBody, Finalized } from '../schemas/finalize.js'
import { finalizeExample, finalizedExample } from '../schemas/examples.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { problems } from '../src/errors.js'

const finalize: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/finalize', {
    schema: {
      operationId: 'finalizeSession',
      summary: 'Finalize a session: complete it and store its result (idempotent)',
      description: 'Atomically completes the session (state `completed`, `completed_at` set, kept FINALIZED_RETENTION_SECONDS from now) and stores its result: the steps, their shallow merge in step order, the narrative contexts and the metadata. Missing steps are `incomplete_steps` unless `allow_incomplete`. Finalizing again returns the same stored result. The body is optional.',
      tags: ['finalize'],
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      body: withExample(FinalizeBody, finalizeExample),
      response: {
        200: JsonResponse('The stored result; `etag` is the session version', Finalized, { headers: ['etag'], example: finalizedExample }),
        ...problems(400, 401, 'session_not_found', 'session_finalized', 'session_not_writable', 'incomplete_steps', 412, 413, 415, 429, 500, 503, 'service_unavailable')
      }
    },
    // The body is optional: no body means {} (the defaults).
    preValidation: async (request) => { request.body ??= {} }
  }, async (request, reply) => {
    const outcome = await repos.finalize.finalize(request.params.id, request.access, {
      allowIncomplete: request.body.allow_incomplete ?? false,
      ifMatch: expectedVersion(request.headers['if-match'])
    })
    if (outcome.completed) fastify.metrics.sessionsFinalized.inc()
    if (outcome.mustPublish) await repos.finalize.publish(outcome.result, request.access)
    return await reply.header('etag', etagOf(outcome.result.session.version)).send(outcome.result)
  })
}

export default finalize
