// x-request-id on every response, and one access-log line per request.
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { REQUEST_ID_PATTERN } from '../schemas/common.js'

const REQUEST_ID = new RegExp(REQUEST_ID_PATTERN)

/** Echoes a well-formed incoming x-request-id, otherwise makes one. */
export function requestIdFor (req: IncomingMessage): string {
  const incoming = req.headers['x-request-id']
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

export default fp(async function requestContext (fastify) {
  fastify.addHook('onRequest', function requestId (request, reply, done) {
    reply.header('x-request-id', request.id)
    done()
  })
  fastify.addHook('onResponse', function accessLog (request, reply, done) {
    if ((request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info') !== false) {
      request.log.info({
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100
      }, 'request completed')
    }
    done()
  })
}, { name: 'request-context' })
