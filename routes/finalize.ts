// POST /v1/sessions/{id}/finalize (contract §5). Idempotent by nature: finalizing again returns the
// stored result, so no Idempotency-Key is needed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, problems } from '../schemas/common.js'
import { FinalizeBody, Finalized } from '../schemas/finalize.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'

const finalize: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/finalize', {
    schema: {
      summary: 'Finalize a session: complete it and store its result (idempotent)',
      tags: ['finalize'],
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      body: FinalizeBody,
      response: { 200: Finalized, ...problems(400, 401, 404, 409, 412, 413, 415, 429, 500, 503) }
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
