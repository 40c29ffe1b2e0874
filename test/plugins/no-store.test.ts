// The no-store plugin alone on a bare Fastify, registered in a /v1 scope as src/app.ts registers it.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import noStore from '../../plugins/no-store.js'

async function bareApp (t: { teardown: (fn: () => unknown) => void }): Promise<FastifyInstance> {
  const app = Fastify()
  app.get('/health/live', async () => ({ status: 'ok' }))
  await app.register(async (v1) => {
    await v1.register(noStore)
    v1.setNotFoundHandler(async (_request, reply) => await reply.code(404).send({ missing: true }))
    v1.get('/things/:id', async () => ({ ok: true }))
    v1.get('/boom', async () => { throw Object.assign(new Error('nope'), { statusCode: 409 }) })
  }, { prefix: '/v1' })
  t.teardown(() => app.close())
  return app
}

t.test('cache-control: no-store is set on the scope it is registered in, and only there', async (t) => {
  const app = await bareApp(t)
  t.equal((await app.inject('/v1/things/1')).headers['cache-control'], 'no-store')
  t.equal((await app.inject('/v1/boom')).headers['cache-control'], 'no-store', 'errors too')
  t.equal((await app.inject('/v1/missing')).headers['cache-control'], 'no-store', 'unknown routes of the scope too (its own not-found handler)')
  t.equal((await app.inject('/%761/things/1')).headers['cache-control'], 'no-store', 'a percent-encoded path is routed into the scope')
  t.equal((await app.inject('/health/live')).headers['cache-control'], undefined, 'ops endpoints are outside the scope')
})
