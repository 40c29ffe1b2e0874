// /v1/sessions/{id}/choices: choice history (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, JsonResponse, withExample } from '../schemas/common.js'
import { MakeChoiceBody, Choice, ChoiceList, HistoryQuery } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { WRITE_UNDER_SESSION, problems } from '../src/errors.js'
import { newId } from '../src/domain/ids.js'

const tags = ['narrative']

const choices: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/choices', {
    schema: {
      operationId: 'makeChoice',
      summary: 'Record a choice in the current scene (409 scene_mismatch otherwise)',
      description: 'Appends a choice to the choice history. `scene_id` must be the session\'s current scene, else `scene_mismatch` says which scene that is.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: withExample(MakeChoiceBody, { scene_id: 'harbor', choice_id: 'board-the-ship', label: 'Board the ship' }),
      response: {
        201: JsonResponse('The history entry; `etag` is the session version', Choice, { headers: ['etag', 'idempotent-replayed'] }),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 'scene_mismatch', 412, 413, 415, 422, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const written = await repos.scenes.makeChoice(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/choices', {
    schema: {
      operationId: 'listChoices',
      summary: 'Choice history, oldest first',
      description: 'A page of the choices made, oldest first; follow `next_cursor` for the next page.',
      tags,
      params: SessionParams,
      querystring: HistoryQuery,
      response: {
        200: JsonResponse('A page of choices', ChoiceList),
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request) => {
    const page = await repos.scenes.listChoices(request.params.id, request.access, request.query.cursor, request.query.limit)
    return { choices: page.items, next_cursor: page.nextCursor }
  })
}

export default choices
