// /v1/sessions/{id}/choices: choice history (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, problems } from '../schemas/common.js'
import { MakeChoiceBody, Choice, ChoiceList, HistoryQuery } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { newId } from '../src/domain/ids.js'

const tags = ['narrative']

const choices: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/choices', {
    schema: {
      summary: 'Record a choice in the current scene (409 scene_mismatch otherwise)',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: MakeChoiceBody,
      response: { 201: Choice, ...problems(400, 401, 404, 409, 412, 413, 415, 422, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const written = await repos.scenes.makeChoice(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/choices', {
    schema: {
      summary: 'Choice history, oldest first',
      tags,
      params: SessionParams,
      querystring: HistoryQuery,
      response: { 200: ChoiceList, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request) => {
    const page = await repos.scenes.listChoices(request.params.id, request.access, request.query.cursor, request.query.limit)
    return { choices: page.items, next_cursor: page.nextCursor }
  })
}

export default choices
