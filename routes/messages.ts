// /v1/sessions/{id}/messages: chat history (contract §7). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, IdempotencyKeyHeader, problems } from '../schemas/common.js'
import { CreateMessageBody, Message, MessageList, ListMessagesQuery } from '../schemas/message.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { newId } from '../src/domain/ids.js'

const tags = ['messages']

const messages: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/sessions/:id/messages', {
    schema: {
      summary: 'Append a message (seq 1, 2, 3 … per session; only the newest MAX_MESSAGES_PER_SESSION are kept)',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader, 'if-match': IfMatchHeader }),
      body: CreateMessageBody,
      response: { 201: Message, ...problems(400, 401, 404, 409, 412, 413, 415, 422, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const written = await repos.messages.append(request.params.id, request.access, expectedVersion(request.headers['if-match']), newId(), request.body, request.idempotencyClaim())
    if (written.replayed) reply.replayed()
    return await reply.code(201).header('etag', etagOf(written.version)).send(written.value)
  })

  fastify.get('/sessions/:id/messages', {
    schema: {
      summary: 'Messages in seq order (asc or desc), after a message id',
      tags,
      params: SessionParams,
      querystring: ListMessagesQuery,
      response: { 200: MessageList, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request) => {
    const { after, cursor, order, limit } = request.query
    const page = await repos.messages.list(request.params.id, request.access, { cursor, afterId: after }, order, limit)
    return { messages: page.items, next_cursor: page.nextCursor }
  })

  fastify.delete('/sessions/:id/messages', {
    schema: {
      summary: 'Clear the chat history (seq keeps counting)',
      tags,
      params: SessionParams,
      headers: Type.Object({ 'if-match': IfMatchHeader }),
      response: { 204: Type.Null({ description: 'Cleared' }), ...problems(400, 401, 404, 409, 412, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const version = await repos.messages.clear(request.params.id, request.access, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default messages
