// /v1/sessions: create, read, delete. (Not wrapped in fastify-plugin: routes stay encapsulated.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IdempotencyKeyHeader, IfMatchHeader, problems } from '../schemas/common.js'
import { CreateSessionBody, PatchSessionBody, ReadSessionQuery, SessionRef } from '../schemas/session.js'
import { SessionSummary } from '../schemas/summary.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { mayActForUser } from '../src/domain/access.js'
import { AppError } from '../src/errors.js'

const tags = ['sessions']

const sessions: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions', {
    schema: {
      summary: 'Create a session',
      tags,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader }),
      body: CreateSessionBody,
      response: { 201: SessionRef, ...problems(400, 401, 403, 413, 415, 422, 429, 500, 503) }
    }
  }, async (request, reply) => {
    if (!mayActForUser(request.access, request.body.user_id)) throw new AppError('forbidden', 'A user token may only create its own sessions')
    return await reply.idempotent(async (id, claim) => {
      const { session, created } = await repos.sessions.create(request.body, id, { access: request.access, claim })
      if (created) fastify.metrics.sessionsCreated.inc()
      return {
        status: 201,
        body: session,
        headers: { location: `/v1/sessions/${session.id}`, etag: etagOf(session.version) },
        userId: session.user_id,
        // The stored response is the session's content: it is kept no longer than the session first lives.
        keepUntilMs: Date.parse(session.expires_at)
      }
    })
  })

  fastify.get('/sessions/:id', {
    schema: {
      summary: 'Read a session (slides its expiry unless touch=false)',
      tags,
      params: SessionParams,
      querystring: ReadSessionQuery,
      response: { 200: SessionRef, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const session = await repos.sessions.get(request.params.id, request.access, request.query.touch)
    return await reply.header('etag', etagOf(session.version)).send(session)
  })

  fastify.patch('/sessions/:id', {
    schema: {
      summary: 'Change state, safety level, goals, metadata (merge patch) or TTL',
      description: 'State changes follow the state machine; `completed` is reached only through finalize. A crisis safety level pauses an active or transitioning session in the same change.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      body: PatchSessionBody,
      response: { 200: SessionRef, ...problems(400, 401, 404, 409, 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const session = await repos.sessions.update(request.params.id, request.access, request.body, expectedVersion(request.headers['if-match']))
    return await reply.header('etag', etagOf(session.version)).send(session)
  })

  fastify.get('/sessions/:id/summary', {
    schema: {
      summary: 'The session with its progress, steps, narrative contexts and counts',
      tags,
      params: SessionParams,
      querystring: ReadSessionQuery,
      response: { 200: SessionSummary, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const summary = await repos.sessions.summary(request.params.id, request.access, request.query.touch)
    return await reply.header('etag', etagOf(summary.session.version)).send(summary)
  })

  fastify.delete('/sessions/:id', {
    schema: {
      summary: 'Delete a session and everything under it',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 401, 404, 412, 429, 500, 503) }
    }
  }, async (request, reply) => {
    await repos.sessions.delete(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).send(null)
  })
}

export default sessions
