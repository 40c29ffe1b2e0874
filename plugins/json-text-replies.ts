// `reply.jsonText(text)`: answers a 2xx body that the route already wrote as JSON text, exactly the text
// its response schema's serializer would write (src/domain/session-json.ts, docs/decisions/0726), as
// application/json without serializing it again.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'

declare module 'fastify' {
  interface FastifyReply {
    jsonText: (text: string) => FastifyReply
  }
}

export default fp(async function jsonTextReplies (fastify) {
  fastify.decorateReply('jsonText', function jsonText (this: FastifyReply, text: string) {
    // A string payload with a JSON content type goes out as it is (Fastify serializes only objects).
    return this.type('application/json; charset=utf-8').send(text)
  })
}, { name: 'json-text-replies' })
