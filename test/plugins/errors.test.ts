// The errors plugin alone on a bare Fastify (with the config plugin, as in the app).
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { Writable } from 'node:stream'
import { connect, type AddressInfo } from 'node:net'
import configPlugin from '../../plugins/config.js'
import errors, { clientErrorHandler, frameworkErrorHandler } from '../../plugins/errors.js'
import { loadConfig } from '../../src/config.js'
import { AppError, RedisUnavailableError } from '../../src/errors.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

async function bareApp (t: { teardown: (fn: () => unknown) => void }, logs: string[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 1024,
    logger: { level: 'info', stream: new Writable({ write (chunk, _enc, done) { logs.push(String(chunk)); done() } }) },
    frameworkErrors: frameworkErrorHandler({ 'x-from-hooks': 'yes' }),
    clientErrorHandler: clientErrorHandler({ 'x-from-hooks': 'yes' })
  })
  await app.register(configPlugin, { config: loadConfig({}) })
  await app.register(errors)
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }))
  app.delete('/things/:id', async () => null)
  app.post('/things', {
    schema: {
      body: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['generic', 'onboarding', 'narrative', 'chat'] }, level: { enum: [1, 2, null] } }
      },
      querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 200 } } }
    }
  }, async (request) => request.body)
  app.get('/app-error', async () => {
    throw new AppError('version_conflict', 'The session is at version 4', { current_version: 4 }, { etag: '"4"' })
  })
  app.get('/redis-down', async () => { throw new RedisUnavailableError(new Error('Connection is closed.')) })
  app.get('/redis-raw', async () => { throw new Error('Connection is closed.') })
  app.get('/crash', async () => { throw new Error('db password is hunter2 at /srv/app.js:12') })
  app.get('/framework-4xx', async () => { throw Object.assign(new Error('Too many'), { statusCode: 429 }) })
  t.teardown(() => app.close())
  return app
}

t.test('a thrown AppError becomes its problem document, with extensions and headers', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject('/app-error')
  t.equal(response.statusCode, 412)
  t.equal(response.headers['content-type'], PROBLEM)
  t.equal(response.headers.etag, '"4"')
  t.same(response.json(), {
    type: 'urn:sessiond:problem:version_conflict',
    title: 'Version conflict',
    status: 412,
    detail: 'The session is at version 4',
    code: 'version_conflict',
    request_id: response.json().request_id,
    current_version: 4
  })
  t.match(response.json().request_id, /.+/)
})

t.test('Redis trouble is 503 redis_unavailable with retry-after, whether typed or raw', async (t) => {
  const app = await bareApp(t)
  for (const url of ['/redis-down', '/redis-raw']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 503, url)
    t.equal(response.headers['retry-after'], '1')
    t.equal(response.headers['content-type'], PROBLEM)
    t.match(response.json(), { code: 'redis_unavailable', status: 503, type: 'urn:sessiond:problem:redis_unavailable' })
    t.notMatch(response.body, 'Connection is closed', 'no internals')
  }
})

t.test('a 503 is logged with why Redis was unavailable, in one compact line', async (t) => {
  const logs: string[] = []
  const app = await bareApp(t, logs)
  await app.inject('/redis-down')
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'redis unavailable')
  t.match(line, { level: 40, cause: 'not_connected', redis_error: 'Connection is closed.' })
  t.notOk('stack' in line || 'err' in line, 'no stack: the cause says enough')
})

t.test('validation errors are 400 validation_failed with an `errors` list of path and message', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: {} })
  t.equal(response.statusCode, 400)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { code: 'validation_failed', status: 400, errors: [{ path: 'body/name', message: String }] })
  t.match(response.json().detail, 'body/name')
  const query = await app.inject({ method: 'POST', url: '/things?limit=500', payload: { name: 'x' } })
  t.equal(query.statusCode, 400)
  t.match(query.json().errors, [{ path: 'querystring/limit' }])
})

t.test('an enum violation names the allowed values, in `detail` and in `errors`', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x', kind: 'wizard' } })
  t.equal(response.statusCode, 400)
  t.match(response.json(), { code: 'validation_failed', errors: [{ path: 'body/kind', message: 'must be one of generic, onboarding, narrative, chat' }] })
  t.equal(response.json().detail, 'body/kind must be one of generic, onboarding, narrative, chat')
  const other = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x', level: 3 } })
  t.match(other.json().errors, [{ path: 'body/level', message: 'must be one of 1, 2, null' }], 'values that are not strings as JSON')
})

t.test('an unknown route is a 404 not_found problem', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject('/nowhere')
  t.equal(response.statusCode, 404)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { code: 'not_found', status: 404, type: 'urn:sessiond:problem:not_found' })
  t.equal((await app.inject({ method: 'POST', url: '/things/1/more' })).statusCode, 404)
})

t.test('a known path with a method it lacks is 405 with an allow header', async (t) => {
  const app = await bareApp(t)
  const patch = await app.inject({ method: 'PATCH', url: '/things/42' })
  t.equal(patch.statusCode, 405)
  t.equal(patch.headers['content-type'], PROBLEM)
  t.equal(patch.headers.allow, 'GET, DELETE, HEAD')
  t.match(patch.json(), { code: 'method_not_allowed', status: 405 })
  const put = await app.inject({ method: 'PUT', url: '/things?limit=1' })
  t.equal(put.statusCode, 405, 'the query string does not matter')
  t.equal(put.headers.allow, 'POST')
})

t.test('OPTIONS on a known path is 404 like an unknown route, never 405 (CORS preflights, contract §1)', async (t) => {
  const app = await bareApp(t)
  for (const url of ['/things/42', '/things', '/nowhere']) {
    const response = await app.inject({ method: 'OPTIONS', url, headers: { origin: 'http://a.test', 'access-control-request-method': 'GET' } })
    t.equal(response.statusCode, 404, url)
    t.equal(response.headers.allow, undefined)
    t.match(response.json(), { code: 'not_found', status: 404 })
  }
})

t.test('malformed JSON and an empty JSON body are 400 problems', async (t) => {
  const app = await bareApp(t)
  const malformed = await app.inject({ method: 'POST', url: '/things', payload: '{"name": ', headers: { 'content-type': 'application/json' } })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.headers['content-type'], PROBLEM)
  t.match(malformed.json(), { code: 'validation_failed', detail: 'Body is not valid JSON' })
  const empty = await app.inject({ method: 'POST', url: '/things', payload: '', headers: { 'content-type': 'application/json' } })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { code: 'validation_failed' })
})

t.test('a malformed URL (%ZZ) is a 400 problem carrying the headers the hooks would have set', async (t) => {
  const app = await bareApp(t)
  for (const url of ['/things/%ZZ', '/%ZZ']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.equal(response.headers['content-type'], PROBLEM)
    t.match(response.json(), { code: 'validation_failed', status: 400 })
    t.equal(response.headers['x-request-id'], response.json().request_id)
    t.equal(response.headers['x-from-hooks'], 'yes')
    t.equal(response.headers['cache-control'], 'no-store', 'an error is never worth caching')
  }
})

t.test('a body over the limit is 413 payload_too_large', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'x'.repeat(2000) } })
  t.equal(response.statusCode, 413)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { code: 'payload_too_large', status: 413 })
})

t.test('a content type without a parser is 415 unsupported_media_type', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject({ method: 'POST', url: '/things', payload: '<name/>', headers: { 'content-type': 'application/xml' } })
  t.equal(response.statusCode, 415)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { code: 'unsupported_media_type', status: 415 })
})

t.test('a 4xx raised by the framework or a plugin keeps its status and gets its code', async (t) => {
  const app = await bareApp(t)
  const response = await app.inject('/framework-4xx')
  t.equal(response.statusCode, 429)
  t.match(response.json(), { code: 'rate_limited', status: 429 })
})

t.test('an unexpected error is a 500 without its message or stack, and is logged for operators', async (t) => {
  const logs: string[] = []
  const app = await bareApp(t, logs)
  const response = await app.inject('/crash')
  t.equal(response.statusCode, 500)
  t.equal(response.headers['content-type'], PROBLEM)
  t.same(Object.keys(response.json()).sort(), ['code', 'detail', 'request_id', 'status', 'title', 'type'])
  t.match(response.json(), { code: 'internal_error', detail: 'An unexpected error occurred' })
  t.notMatch(response.body, /hunter2|srv\/app|at |stack/)
  const logged = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed')
  t.match(logged, { level: 50, err: { message: /hunter2/, stack: String } }, 'the log keeps what the response hides')
})

/** Sends raw bytes to a listening app and returns everything it answers until it closes the connection. */
async function rawExchange (port: number, bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => { answer += String(chunk) })
  // The server may answer and close while a large request is still being written: the client then sees
  // ECONNRESET after the answer (events.once would reject on it), so only 'close' ends the exchange.
  const closed = new Promise((resolve) => socket.on('close', resolve))
  socket.on('error', () => {})
  socket.write(bytes)
  await closed
  return answer
}

t.test('what Node refuses before routing (not HTTP, headers too large) is still a problem document', async (t) => {
  const app = await bareApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  for (const [bytes, status, code] of [
    ['this is not http\r\n\r\n', 400, 'validation_failed'],
    [`GET /things/1 HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'request_headers_too_large'],
    [`GET /things/1 HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(1_048_576)}\r\n\r\n`, 431, 'request_headers_too_large']
  ] as const) {
    const answer = await rawExchange(port, bytes)
    const [head = '', body = ''] = answer.split('\r\n\r\n')
    t.match(head, new RegExp(`^HTTP/1.1 ${status} `), `${code}: status line`)
    t.match(head, /content-type: application\/problem\+json; charset=utf-8/)
    t.match(head, /x-from-hooks: yes/, 'with the headers every response carries')
    t.match(head, /connection: close/)
    const problem = JSON.parse(body)
    t.match(problem, { code, status, type: `urn:sessiond:problem:${code}`, request_id: String })
    t.match(head, new RegExp(`x-request-id: ${problem.request_id}`))
  }
})
