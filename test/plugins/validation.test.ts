// The validation plugin with the errors plugin (which turns its failures into problems) on a bare Fastify.
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import configPlugin from '../../plugins/config.js'
import validation from '../../plugins/validation.js'
import errors from '../../plugins/errors.js'
import { loadConfig } from '../../src/config.js'
import { JsonObject, PageQuery } from '../../schemas/common.js'

async function bareApp (t: { teardown: (fn: () => unknown) => void }): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(configPlugin, { config: loadConfig({}) })
  await app.register(validation)
  await app.register(errors)
  app.post('/things', {
    schema: {
      body: Type.Object({ n: Type.Integer(), flag: Type.Optional(Type.Boolean()), meta: Type.Optional(JsonObject(64)) }, { additionalProperties: false }),
      querystring: Type.Object({ ...PageQuery, touch: Type.Boolean({ default: true }) })
    }
  }, async (request) => ({ body: request.body, query: request.query }))
  t.teardown(() => app.close())
  return app
}

t.test('bodies are not coerced: a string where a number belongs is a 400', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: { n: '3' } })
  t.equal(response.statusCode, 400)
  t.match(response.json(), { code: 'validation_failed', errors: [{ path: 'body/n' }] })
  t.equal((await app.inject({ method: 'POST', url: '/things', payload: { n: 3, flag: 'true' } })).statusCode, 400)
})

t.test('unknown body fields are rejected, never dropped', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: { n: 1, extra: true, other: 2 } })
  t.equal(response.statusCode, 400)
  t.match(response.json().errors, [{ path: 'body/extra', message: 'is not a known field' }, { path: 'body/other', message: 'is not a known field' }])
})

t.test('x-max-bytes caps the serialized size of a JSON object', async (t) => {
  const app = await bareApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/things', payload: { n: 1, meta: { a: 'x'.repeat(40) } } })).statusCode, 200)
  const big = await app.inject({ method: 'POST', url: '/things', payload: { n: 1, meta: { a: 'x'.repeat(80) } } })
  t.equal(big.statusCode, 400)
  t.match(big.json().errors, [{ path: 'body/meta', message: 'must be at most 64 bytes when serialized' }])
})

t.test('query strings are parsed from their string form, with defaults', async (t) => {
  const app = await bareApp(t)
  const ok = await app.inject({ method: 'POST', url: '/things?limit=10&touch=false', payload: { n: 1 } })
  t.same(ok.json().query, { limit: 10, touch: false })
  t.same((await app.inject({ method: 'POST', url: '/things', payload: { n: 1 } })).json().query, { limit: 50, touch: true })
  const over = await app.inject({ method: 'POST', url: '/things?limit=201', payload: { n: 1 } })
  t.equal(over.statusCode, 400)
  t.match(over.json().errors, [{ path: 'querystring/limit' }])
})

t.test('a text/plain body is 415, not parsed as a string', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: '{"n":1}', headers: { 'content-type': 'text/plain' } })
  t.equal(response.statusCode, 415)
  t.match(response.json(), { code: 'unsupported_media_type' })
})
