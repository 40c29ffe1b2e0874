// The change channel of this instance (src/redis/change-feed.ts): one subscriber connection, and the
// registry of local listeners (event streams, the read cache). Decorates `changes`.
import fp from 'fastify-plugin'
import { ChangeFeed } from '../src/redis/change-feed.js'

declare module 'fastify' {
  interface FastifyInstance { changes: ChangeFeed }
}

export default fp(async function changes (fastify) {
  const feed = new ChangeFeed(fastify.redis.client, fastify.redis.keys, {
    onError: (err) => fastify.log.warn({ err: { message: err.message } }, 'change subscriber connection error')
  })
  fastify.decorate('changes', feed)
  fastify.addHook('onClose', async () => { await feed.close() })
}, { name: 'changes', dependencies: ['redis'] })
