// /v1/sessions/{id}/scenes: scene history (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, problems } from '../schemas/common.js'
import { EnterSceneBody, Scene, SceneList, HistoryQuery } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { newId } from '../src/domain/ids.js'

const tags = ['narrative']

const scenes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/scenes', {
    schema: {
      summary: 'Enter a scene: append it to the history and make it the current scene',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: EnterSceneBody,
      response: { 201: Scene, ...problems(400, 401, 404, 409, 412, 413, 415, 422, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const written = await repos.scenes.enterScene(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/scenes', {
    schema: {
      summary: 'Scene history, oldest first',
      tags,
      params: SessionParams,
      querystring: HistoryQuery,
      response: { 200: SceneList, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request) => {
    const page = await repos.scenes.listScenes(request.params.id, request.access, request.query.cursor, request.query.limit)
    return { scenes: page.items, next_cursor: page.nextCursor }
  })
}

export default scenes
