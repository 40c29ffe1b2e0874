// /v1/sessions/{id}/narrative: narrative contexts (contract §6). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, problems } from '../schemas/common.js'
import { NarrativeParams, PutContextBody, NarrativeContext, NarrativeContexts } from '../schemas/narrative.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'

const tags = ['narrative']
const ifMatch = Type.Object({ 'if-match': IfMatchHeader })
const deleted = Type.Null({ description: 'Deleted' })

const narrative: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.put('/sessions/:id/narrative/:context_type', {
    schema: {
      summary: 'Store a narrative context (replaces it; TTL capped at the session\'s expiry)',
      tags,
      params: NarrativeParams,
      headers: ifMatch,
      body: PutContextBody,
      response: { 200: NarrativeContext, ...problems(400, 401, 404, 409, 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { id, context_type: contextType } = request.params
    const written = await repos.narrative.putContext(id, request.access, expectedVersion(request.headers['if-match']), contextType, request.body)
    return await reply.header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/narrative/:context_type', {
    schema: {
      summary: 'Read one narrative context (404 not_found when absent or expired)',
      tags,
      params: NarrativeParams,
      response: { 200: NarrativeContext, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request) => await repos.narrative.getContext(request.params.id, request.access, request.params.context_type))

  fastify.get('/sessions/:id/narrative', {
    schema: {
      summary: 'Read every live narrative context',
      tags,
      params: SessionParams,
      response: { 200: NarrativeContexts, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request) => ({ contexts: await repos.narrative.listContexts(request.params.id, request.access) }))

  fastify.delete('/sessions/:id/narrative/:context_type', {
    schema: {
      summary: 'Delete one narrative context (404 not_found when absent or expired)',
      tags,
      params: NarrativeParams,
      headers: ifMatch,
      response: { 204: deleted, ...problems(400, 401, 404, 409, 412, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { id, context_type: contextType } = request.params
    const version = await repos.narrative.deleteContext(id, request.access, expectedVersion(request.headers['if-match']), contextType)
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })

  fastify.delete('/sessions/:id/narrative', {
    schema: {
      summary: 'Delete every narrative context of the session',
      tags,
      params: SessionParams,
      headers: ifMatch,
      response: { 204: deleted, ...problems(400, 401, 404, 409, 412, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const version = await repos.narrative.clearContexts(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default narrative
