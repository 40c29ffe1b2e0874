// `cache-control: no-store` on every response of the scope it is registered in (the /v1 API, contract §1).
import fp from 'fastify-plugin'

export default fp(async function noStore (fastify) {
  fastify.addHook('onRequest', function noStore (_request, reply, done) {
    reply.header('cache-control', 'no-store')
    done()
  })
}, { name: 'no-store' })
