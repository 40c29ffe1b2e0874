// x-request-id on every response, no-store on the API, and one access-log line per request.
import fp from 'fastify-plugin'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { isApiRequest } from './auth.js'

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/

/** Echoes a well-formed incoming x-request-id, otherwise makes one. */
export function requestIdFor (req: IncomingMessage): string {
  const incoming = req.headers['x-request-id']
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID()
}

/** The headers every response to this request carries: its id, and no-store on the API. */
export function contextHeaders (request: FastifyRequest): Record<string, string> {
  return isApiRequest(request) ? { 'x-request-id': request.id, 'cache-control': 'no-store' } : { 'x-request-id': request.id }
}

export default fp(async function requestContext (fastify) {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.headers(contextHeaders(request))
  })
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100
    }, 'request completed')
  })
}, { name: 'request-context' })
