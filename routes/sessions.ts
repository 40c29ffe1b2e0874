// /v1/sessions: create, read, delete. (Not wrapped in fastify-plugin: routes stay encapsulated.)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IdempotencyKeyHeader, IfMatchHeader, JsonResponse, EmptyResponse, NotModified, ConditionalReadHeaders, withExample } from '../schemas/common.js'
import { CreateSessionBody, PatchSessionBody, ReadSessionQuery, SessionRef } from '../schemas/session.js'
import { SessionSummary } from '../schemas/summary.js'
import { createSessionExample, sessionExample } from '../schemas/examples.js'
import { etagOf, expectedVersion, singleNoneMatch } from '../src/domain/etag.js'
import { mayActForUser } from '../src/domain/access.js'
import { sessionJson } from '../src/domain/session-json.js'
import { AppError, problems } from '../src/errors.js'

const tags = ['sessions']

const sessions: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions', {
    schema: {
      operationId: 'createSession',
      summary: 'Create a session',
      description: 'Creates a session for `user_id` (a user token may only create its own). The server makes the id; `kind` decides the default TTL (onboarding: ONBOARDING_TTL_SECONDS, others: SESSION_TTL_SECONDS). With an `Idempotency-Key`, a retry within 24 h returns the first response instead of creating a second session.',
      tags,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader }),
      body: withExample(CreateSessionBody, createSessionExample),
      response: {
        201: JsonResponse('The new session, at version 1', SessionRef, { headers: ['location', 'etag', 'idempotent-replayed'], example: sessionExample }),
        ...problems(400, 401, 403, 413, 415, 422, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    if (!mayActForUser(request.access, request.body.user_id)) throw new AppError('forbidden', 'A user token may only create its own sessions')
    return await reply.idempotent(async (id, claim) => {
      const { record, created } = await repos.sessions.create(request.body, id, { access: request.access, claim })
      if (created) fastify.metrics.sessionsCreated.inc()
      return {
        status: 201,
        bodyText: sessionJson(record),
        headers: { location: `/v1/sessions/${record.id!}`, etag: etagOf(Number(record.version)) },
        userId: record.user_id!,
        // The stored response is the session's content: it is kept no longer than the session first lives.
        keepUntilMs: Number(record.expires_at)
      }
    })
  })

  fastify.get('/sessions/:id', {
    schema: {
      operationId: 'getSession',
      summary: 'Read a session (slides its expiry unless touch=false)',
      description: 'Returns the session with its version as `etag`. Reading slides `expires_at` to now + ttl (never past `absolute_expires_at`) unless `touch=false`. Someone else\'s session is `session_not_found`, exactly like a missing one.',
      tags,
      params: SessionParams,
      querystring: ReadSessionQuery,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The session', SessionRef, { headers: ['etag'], example: sessionExample }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const read = await repos.sessions.getUnlessCurrent(request.params.id, request.access, request.query.touch, singleNoneMatch(request.headers['if-none-match']))
    if ('unchanged' in read) return reply.notModified(read.unchanged)
    return reply.versioned(read.version, read)
  })

  fastify.patch('/sessions/:id', {
    schema: {
      operationId: 'updateSession',
      summary: 'Change state, safety level, goals, metadata (merge patch) or TTL',
      description: 'State changes follow the state machine; `completed` is reached only through finalize. A crisis safety level pauses an active or transitioning session in the same change. `metadata` is an RFC 7396 merge patch. Send `if-match` to change only the version you read.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      body: withExample(PatchSessionBody, { state: 'paused', metadata: { paused_by: 'coach' } }),
      response: {
        200: JsonResponse('The changed session', SessionRef, { headers: ['etag'] }),
        ...problems(400, 401, 'session_not_found', 'invalid_transition', 'safety_hold', 'session_finalized', 412, 413, 415, 429, 500, 503, 'service_unavailable')
      }
    }
  }, async (request, reply) => {
    const { record, session } = await repos.sessions.update(request.params.id, request.access, request.body, expectedVersion(request.headers['if-match']))
    return await reply.header('etag', etagOf(session.version)).jsonText(sessionJson(record))
  })

  fastify.get('/sessions/:id/summary', {
    schema: {
      operationId: 'getSessionSummary',
      summary: 'The session with its progress, steps, narrative contexts and counts',
      description: 'Everything a frontend needs to resume a session in one read: the session, its progress, every saved step, the live narrative contexts and the number of scenes, choices and messages. Slides the expiry unless `touch=false`.',
      tags,
      params: SessionParams,
      querystring: ReadSessionQuery,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The summary; `etag` is the session version', SessionSummary, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const summary = await repos.sessions.summary(request.params.id, request.access, request.query.touch)
    return reply.versioned(summary.session.version, summary)
  })

  fastify.delete('/sessions/:id', {
    schema: {
      operationId: 'deleteSession',
      summary: 'Delete a session and everything under it',
      description: 'Deletes the session with its steps, narrative, scenes, choices, messages and events. A second delete is `session_not_found`.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      response: { 204: EmptyResponse('Deleted'), ...problems(400, 401, 'session_not_found', 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    await repos.sessions.delete(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).send(null)
  })
}

export default sessions
