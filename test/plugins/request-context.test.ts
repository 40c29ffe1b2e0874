// The request-context plugin alone on a bare Fastify, wired as src/app.ts wires it (genReqId, log controller).
import t from 'tap'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { Writable } from 'node:stream'
import configPlugin from '../../plugins/config.js'
import requestContext, { requestIdFor } from '../../plugins/request-context.js'
import { loadConfig } from '../../src/config.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

async function bareApp (t: { teardown: (fn: () => unknown) => void }, logs: string[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    requestIdHeader: false,
    genReqId: requestIdFor,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    logger: { level: 'info', stream: new Writable({ write (chunk, _enc, done) { logs.push(String(chunk)); done() } }) }
  })
  await app.register(configPlugin, { config: loadConfig({}) })
  await app.register(requestContext)
  app.get('/v1/things/:id', async () => ({ ok: true }))
  app.get('/health/live', async () => ({ status: 'ok' }))
  app.get('/v1/boom', async () => { throw Object.assign(new Error('nope'), { statusCode: 409 }) })
  t.teardown(() => app.close())
  return app
}

t.test('a well-formed incoming x-request-id is echoed', async (t) => {
  const app = await bareApp(t)
  for (const id of ['abc', 'A.b_c-9', 'x'.repeat(128), '0']) {
    const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': id } })
    t.equal(response.headers['x-request-id'], id, `${id.slice(0, 20)} (${id.length} chars) is echoed`)
  }
})

t.test('a missing or malformed x-request-id is replaced by a generated one', async (t) => {
  const app = await bareApp(t)
  const seen = new Set<string>()
  for (const id of [undefined, '', 'x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', 'a/b', '<script>']) {
    const headers: Record<string, string> = id === undefined ? {} : { 'x-request-id': id }
    const response = await app.inject({ url: '/health/live', headers })
    const got = String(response.headers['x-request-id'])
    t.match(got, UUID, `${JSON.stringify(id?.slice(0, 20))} is replaced`)
    seen.add(got)
  }
  t.equal(seen.size, 8, 'each generated id is new')
})

t.test('errors and unknown routes carry the request id too', async (t) => {
  const app = await bareApp(t)
  const failed = await app.inject({ url: '/v1/boom', headers: { 'x-request-id': 'trace-1' } })
  t.equal(failed.statusCode, 409)
  t.equal(failed.headers['x-request-id'], 'trace-1')
  const missing = await app.inject({ url: '/v1/missing', headers: { 'x-request-id': 'trace-2' } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['x-request-id'], 'trace-2')
})

t.test('each request leaves one access-log line with id, method, route template, status and duration', async (t) => {
  const logs: string[] = []
  const app = await bareApp(t, logs)
  await app.inject({ url: '/v1/things/secret-session-id', headers: { 'x-request-id': 'req-42' } })
  await app.inject({ url: '/v1/missing/other-id' })
  const completed = logs.map((l) => JSON.parse(l)).filter((entry) => entry.msg === 'request completed')
  t.equal(completed.length, 2)
  t.match(completed[0], { request_id: 'req-42', method: 'GET', route: '/v1/things/:id', status: 200, duration_ms: Number })
  t.match(completed[1], { method: 'GET', route: 'unmatched', status: 404 })
  t.notMatch(logs.join(''), /secret-session-id|other-id/, 'the log names routes by template, not by the ids in them')
})
