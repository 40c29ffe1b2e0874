// /v1/sessions/{id}/scenes: scene history (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, JsonResponse, withExample } from '../schemas/common.js'
import { EnterSceneBody, Scene, SceneList, HistoryQuery } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { WRITE_UNDER_SESSION, problems } from '../src/errors.js'
import { newId } from '../src/domain/ids.js'

const tags = ['narrative']

const scenes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/scenes', {
    schema: {
      operationId: 'enterScene',
      summary: 'Enter a scene: append it to the history and make it the current scene',
      description: 'Appends `scene_id` to the scene history and sets the session\'s `current_scene_id`, which choices must then name.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: withExample(EnterSceneBody, { scene_id: 'harbor' }),
      response: {
        201: JsonResponse('The history entry; `etag` is the session version', Scene, { headers: ['etag', 'idempotent-replayed'] }),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 422, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const written = await repos.scenes.enterScene(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/scenes', {
    schema: {
      operationId: 'listScenes',
      summary: 'Scene history, oldest first',
      description: 'A page of the scenes entered, oldest first; follow `next_cursor` for the next page.',
      tags,
      params: SessionParams,
      querystring: HistoryQuery,
      response: {
        200: JsonResponse('A page of scenes', SceneList),
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request) => {
    const page = await repos.scenes.listScenes(request.params.id, request.access, request.query.cursor, request.query.limit)
    return { scenes: page.items, next_cursor: page.nextCursor }
  })
}

export default scenes
