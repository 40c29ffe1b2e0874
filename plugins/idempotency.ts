// Idempotency-Key (contract §1) for POST routes that create something.
//   request.idempotencyClaim(): the key of this request as repositories take it (undefined without one).
//     Requests under a session pass it to their script, which replays or records in the same atomic
//     change (lua/includes/idempotency.lua).
//   reply.idempotent(work): for creates outside any session (a session, a progress snapshot): reserves
//     a resource id, runs the work with it, and replays the first 2xx response for 24 h.
// Replays carry `idempotent-replayed: true`; the same key with another body gets 422.
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StoredResponse } from '../src/repositories/idempotency-store.js'
import { idempotencyClaim, type IdempotencyClaim } from '../src/domain/idempotency.js'
import { newId } from '../src/domain/ids.js'
import { principalLabel } from '../src/domain/principal.js'
import { AppError } from '../src/errors.js'

/** The work of a create: with the resource id to use, and the request's claim when it has a key. */
export type IdempotentWork = (resourceId: string, claim?: IdempotencyClaim) => Promise<StoredResponse>

declare module 'fastify' {
  interface FastifyRequest { idempotencyClaim: () => IdempotencyClaim | undefined }
  interface FastifyReply {
    idempotent: (work: IdempotentWork) => Promise<FastifyReply>
    /** Marks the response as the replay of an earlier request with the same key. */
    replayed: () => FastifyReply
  }
}

const REPLAYED_HEADERS = ['location', 'etag']

function send (reply: FastifyReply, response: StoredResponse): FastifyReply {
  for (const name of REPLAYED_HEADERS) {
    const value = response.headers[name]
    if (value !== undefined) reply.header(name, value)
  }
  reply.code(response.status)
  return response.bodyText === undefined ? reply.send(response.body) : reply.jsonText(response.bodyText)
}

export default fp(async function idempotency (fastify) {
  const records = fastify.repos.idempotency

  fastify.decorateRequest('idempotencyClaim', function idempotencyClaimOf (this: FastifyRequest): IdempotencyClaim | undefined {
    const key = this.headers['idempotency-key']
    if (key === undefined) return undefined
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
      throw new AppError('validation_failed', 'idempotency-key must be 1-128 characters', { errors: [{ path: 'headers/idempotency-key', message: 'must be 1-128 characters' }] })
    }
    return idempotencyClaim({ principal: principalLabel(this.principal), operation: `${this.method} ${this.url.split('?')[0]}`, key }, this.body)
  })

  fastify.decorateReply('replayed', function replayed (this: FastifyReply) {
    return this.header('idempotent-replayed', 'true')
  })

  fastify.decorateReply('idempotent', async function idempotent (this: FastifyReply, work: IdempotentWork) {
    const request = this.request
    const claim = request.idempotencyClaim()
    if (claim === undefined) return send(this, await work(newId()))
    const reservation = await records.reserve(claim, newId(), request.access)
    if (reservation.replay) return send(this.replayed(), reservation.response)
    const response = await work(reservation.resourceId, claim)
    if (response.status < 300) {
      // The work is done; if storing its response fails, a retry redoes it with the same id (no duplicate).
      await records.complete(claim, reservation.resourceId, response, request.access).catch((err: Error) => {
        request.log.warn({ err: { message: err.message } }, 'could not store idempotent response')
      })
    }
    return send(this, response)
  })
}, { name: 'idempotency', dependencies: ['repositories', 'auth', 'json-text-replies'] })
