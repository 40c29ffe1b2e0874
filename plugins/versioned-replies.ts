// Replies that carry a session version (contract §1): `reply.versioned(version, body)` sets the etag and
// answers 304 Not Modified, without serializing the body, when if-none-match names that version.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { etagOf, notModified } from '../src/domain/etag.js'

declare module 'fastify' {
  interface FastifyReply {
    versioned: (version: number, body: unknown) => FastifyReply
    /** 304 for `version` (a repository already knew the client's copy is current). */
    notModified: (version: number) => FastifyReply
  }
}

export default fp(async function versionedReplies (fastify) {
  fastify.decorateReply('notModified', function sendNotModified (this: FastifyReply, version: number) {
    return this.code(304).header('etag', etagOf(version)).send()
  })
  fastify.decorateReply('versioned', function versioned (this: FastifyReply, version: number, body: unknown) {
    if (notModified(this.request.headers['if-none-match'], version)) return this.notModified(version)
    return this.header('etag', etagOf(version)).send(body)
  })
}, { name: 'versioned-replies' })
