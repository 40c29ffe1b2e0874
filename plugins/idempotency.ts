// The shared Idempotency-Key mechanism for POST routes that create something:
//   return await reply.idempotent(async (resourceId) => ({ status: 201, body, headers }))
// Without the header the work runs with a fresh id. With it, the first 2xx response is replayed for
// 24 h (same status and body, plus `idempotent-replayed: true`), and a different body gets 422.
// Error responses are not stored: a retry after a fixable error does the work again.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { IdempotencyStore, type StoredResponse } from '../src/repositories/idempotency-store.js'
import { newId } from '../src/domain/ids.js'
import { AppError } from '../src/errors.js'
import { ANY_OWNER } from '../src/domain/access.js'
import { principalLabel } from '../src/domain/principal.js'

export type IdempotentWork = (resourceId: string) => Promise<StoredResponse>

declare module 'fastify' {
  interface FastifyReply { idempotent: (work: IdempotentWork) => Promise<FastifyReply> }
}

const REPLAYED_HEADERS = ['location', 'etag']

function send (reply: FastifyReply, response: StoredResponse): FastifyReply {
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers[name]
    if (value !== undefined) reply.header(name, value)
  }
  return reply.code(response.status).send(response.body)
}

export default fp(async function idempotency (fastify) {
  const records = new IdempotencyStore(fastify.redis)

  /** Whose data a stored response carries, so that erasing that user also erases the record. */
  async function subjectOf (request: FastifyRequest, response: StoredResponse): Promise<string | undefined> {
    if (response.userId !== undefined) return response.userId
    const params = (request.params ?? {}) as { user_id?: string, id?: string }
    if (params.user_id !== undefined) return params.user_id
    if (params.id === undefined) return undefined
    return (await fastify.repos.sessions.get(params.id, ANY_OWNER, false).catch(() => undefined))?.user_id
  }

  fastify.decorateReply('idempotent', async function idempotent (this: FastifyReply, work: IdempotentWork) {
    const request = this.request
    const key = request.headers['idempotency-key']
    if (key === undefined) return send(this, await work(newId()))
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw new AppError('validation_failed', 'idempotency-key must be 1-128 characters', { errors: [{ path: 'headers/idempotency-key', message: 'must be 1-128 characters' }] })
    }
    const scope = { principal: principalLabel(request.principal), operation: `${request.method} ${request.url.split('?')[0]}`, key }
    const reservation = await records.reserve(scope, request.body, newId())
    if (reservation.replay) return send(this.header('idempotent-replayed', 'true'), reservation.response)
    const response = await work(reservation.resourceId)
    if (response.status < 300) {
      // The work is done; if storing its response fails, a retry redoes it with the same id (no duplicate).
      const userId = await subjectOf(request, response)
      await records.complete(scope, reservation.fingerprint, { ...response, userId }).catch((err: Error) => {
        request.log.warn({ err: { message: err.message } }, 'could not store idempotent response')
      })
    }
    return send(this, response)
  })
}, { name: 'idempotency', dependencies: ['redis', 'auth', 'repositories'] })
