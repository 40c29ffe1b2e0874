// GET /v1/sessions/{id}/events: the session's events as Server-Sent Events (contract §8), served by
// plugins/event-streams.ts. Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { fastifySSE } from '@fastify/sse'
import { Type } from 'typebox'
import { SessionParams } from '../schemas/common.js'
import { SessionEvent } from '../schemas/events.js'
import { AppError, problems } from '../src/errors.js'

/** At most this long between two messages of a stream (a comment line when nothing happens). */
export const HEARTBEAT_MS = 15_000

const LastEventId = Type.String({ pattern: '^\\d{1,15}$', description: 'The last event id the client received (a session version)' })

function lastEventIdOf (header: unknown, query: string | undefined): number | null {
  const value = typeof header === 'string' ? header.trim() : query
  if (value === undefined || value === '') return null
  if (!/^\d{1,15}$/.test(value)) {
    throw new AppError('validation_failed', 'last-event-id must be an event id this stream sent (a session version)',
      { errors: [{ path: typeof header === 'string' ? 'headers/last-event-id' : 'querystring/last_event_id', message: 'must be a non-negative integer' }] })
  }
  return Number(value)
}

const events: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(fastifySSE, { heartbeatInterval: HEARTBEAT_MS })

  fastify.get('/sessions/:id/events', {
    // A stream outlives any request deadline; its reads are bounded one by one (the command timeout).
    config: { redisDeadline: false },
    sse: 'manual',
    schema: {
      operationId: 'streamSessionEvents',
      summary: 'The session\'s events as a Server-Sent Events stream',
      description: 'Each message: `id` (the session version after the change), `event` (the type), `data` (the event as JSON). ' +
        'Resume with the `last-event-id` header or `?last_event_id=`; `event: resync` when that is older than the retained events. ' +
        'A comment line at least every 15 s. session.deleted and session.expired end the stream.',
      tags: ['events'],
      params: SessionParams,
      querystring: Type.Object({ last_event_id: Type.Optional(LastEventId) }, { additionalProperties: false }),
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
      response: {
        200: { description: 'A stream of events', content: { 'text/event-stream': { schema: SessionEvent } } },
        ...problems(400, 401, 'session_not_found', 429, 500, 503, 'service_unavailable')
      }
    }
  }, async (request, reply) => {
    const lastEventId = lastEventIdOf(request.headers['last-event-id'], request.query.last_event_id)
    await fastify.eventStreams.serve({ reply, sessionId: request.params.id, access: request.access, lastEventId })
  })
}

export default events
