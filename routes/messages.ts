// /v1/sessions/{id}/messages: chat history (contract §7). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, JsonResponse, EmptyResponse, withExample } from '../schemas/common.js'
import { CreateMessageBody, Message, MessageList, ListMessagesQuery } from '../schemas/message.js'
import { createMessageExample, messageExample } from '../schemas/examples.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { WRITE_UNDER_SESSION, problems } from '../src/errors.js'
import { newId } from '../src/domain/ids.js'

const tags = ['messages']

const messages: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/messages', {
    schema: {
      operationId: 'createMessage',
      summary: 'Append a message (seq 1, 2, 3 … per session; only the newest MAX_MESSAGES_PER_SESSION are kept)',
      description: 'Appends a chat message to the session\'s history and numbers it (`seq`, without gaps, never reused). With an `Idempotency-Key`, a retry within 24 h returns the first response instead of appending twice.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: withExample(CreateMessageBody, createMessageExample),
      response: {
        201: JsonResponse('The stored message; `etag` is the session version', Message, { headers: ['etag', 'idempotent-replayed'], example: messageExample }),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 422, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const written = await repos.messages.append(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/messages', {
    schema: {
      operationId: 'listMessages',
      summary: 'Messages in seq order (asc or desc), after a message id',
      description: 'A page of the chat history, oldest first (`order=asc`) or newest first (`desc`). Follow `next_cursor` for the next page, or pass `after` (a message id) to read only what came after it.',
      tags,
      params: SessionParams,
      querystring: ListMessagesQuery,
      response: {
        200: JsonResponse('A page of messages', MessageList, { example: { messages: [messageExample], next_cursor: null } }),
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request) => {
    const { after, cursor, order, limit } = request.query
    const page = await repos.messages.list(request.params.id, request.access, { cursor, afterId: after }, order, limit)
    return { messages: page.items, next_cursor: page.nextCursor }
  })

  fastify.delete('/sessions/:id/messages', {
    schema: {
      operationId: 'clearMessages',
      summary: 'Clear the chat history (seq keeps counting)',
      description: 'Removes every message of the session; the next message continues the `seq` numbering.',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      response: {
        204: EmptyResponse('Cleared; `etag` is the new session version', ['etag']),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const version = await repos.messages.clear(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default messages
