// /v1/sessions/{id}/narrative: narrative contexts (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, JsonResponse, EmptyResponse, NotModified, ConditionalReadHeaders, withExample } from '../schemas/common.js'
import { NarrativeParams, PutContextBody, NarrativeContext, NarrativeContexts } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { WRITE_UNDER_SESSION, problems } from '../src/errors.js'

const tags = ['narrative']
const ifMatch = Type.Object({ 'if-match': IfMatchHeader })
const deleted = EmptyResponse('Deleted; `etag` is the new session version', ['etag'])

const narrative: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.put('/sessions/:id/narrative/:context_type', {
    schema: {
      operationId: 'saveNarrativeContext',
      summary: 'Store a narrative context (replaces it; TTL capped at the session\'s expiry)',
      description: 'Stores `data` under `context_type` (e.g. `world_state`, `story_variables`), replacing what was there. It expires after `ttl_seconds` (default NARRATIVE_TTL_SECONDS), never after the session.',
      tags,
      params: NarrativeParams,
      headers: ifMatch,
      body: withExample(PutContextBody, { data: { chapter: 2, weather: 'storm' }, ttl_seconds: 3600 }),
      response: {
        200: JsonResponse('The stored context; `etag` is the session version', NarrativeContext, { headers: ['etag'] }),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { id, context_type: contextType } = request.params
    const written = await repos.narrative.putContext(id, request.access, expectedVersion(request.headers['if-match']), contextType, request.body)
    return await reply.header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/narrative/:context_type', {
    schema: {
      operationId: 'getNarrativeContext',
      summary: 'Read one narrative context (404 not_found when absent or expired)',
      description: 'Returns the context stored under `context_type`; one never stored, deleted or expired is `not_found`.',
      tags,
      params: NarrativeParams,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The context; `etag` is the session version', NarrativeContext, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 'not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { value, version } = await repos.narrative.getContext(request.params.id, request.access, request.params.context_type)
    return reply.versioned(version, value)
  })

  fastify.get('/sessions/:id/narrative', {
    schema: {
      operationId: 'listNarrativeContexts',
      summary: 'Read every live narrative context',
      description: 'Every context of the session that has not expired, by `context_type`.',
      tags,
      params: SessionParams,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The live contexts; `etag` is the session version', NarrativeContexts, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { value, version } = await repos.narrative.listContexts(request.params.id, request.access)
    return reply.versioned(version, { contexts: value })
  })

  fastify.delete('/sessions/:id/narrative/:context_type', {
    schema: {
      operationId: 'deleteNarrativeContext',
      summary: 'Delete one narrative context (404 not_found when absent or expired)',
      description: 'Invalidates the context stored under `context_type`.',
      tags,
      params: NarrativeParams,
      headers: ifMatch,
      response: { 204: deleted, ...problems(400, 401, ...WRITE_UNDER_SESSION, 'not_found', 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { id, context_type: contextType } = request.params
    const version = await repos.narrative.deleteContext(id, request.access, expectedVersion(request.headers['if-match']), contextType)
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })

  fastify.delete('/sessions/:id/narrative', {
    schema: {
      operationId: 'clearNarrativeContexts',
      summary: 'Delete every narrative context of the session',
      description: 'Invalidates every context of the session at once.',
      tags,
      params: SessionParams,
      headers: ifMatch,
      response: { 204: deleted, ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const version = await repos.narrative.clearContexts(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default narrative
