// Slow clients cannot hold the server (contract §1): headers within REQUEST_HEADERS_TIMEOUT_MS, the whole
// request within REQUEST_TIMEOUT_MS, and responses (event streams) never cut. Node enforces these on
// real sockets only (inject() bypasses them), so every test here listens on a loopback port.
import t, { type Test } from 'tap'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { request as httpRequest } from 'node:http'
import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { buildTestApp, sleep, type Tap } from './helper.js'

const HEADERS_TIMEOUT_MS = 1000
// Far enough apart that a cut-off at the headers timeout cannot be the request timeout's.
const REQUEST_TIMEOUT_MS = 3000
/** Node looks for expired connections once a second (connectionsCheckingInterval in src/app.ts). */
const CHECK_INTERVAL_MS = 1000
const SLACK_MS = 750

const STREAM_CHUNKS = 20
const STREAM_EVERY_MS = 250

/** A test-only event-stream-like route: one line every 250 ms for 5 s, well past REQUEST_TIMEOUT_MS. */
const slowStream: FastifyPluginAsync = async (fastify) => {
  fastify.get('/test/slow-stream', async (_request, reply) => {
    async function * lines (): AsyncGenerator<string> {
      for (let i = 1; i <= STREAM_CHUNKS; i++) {
        yield `: tick ${i}\n\n`
        await sleep(STREAM_EVERY_MS)
      }
    }
    return reply.type('text/event-stream').send(Readable.from(lines()))
  })
}

async function listening (t: Tap, extraRoutes?: FastifyPluginAsync): Promise<{ app: FastifyInstance, port: number }> {
  const { app } = await buildTestApp(t, {
    REQUEST_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS)
  }, { extraRoutes })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, port: (app.server.address() as AddressInfo).port }
}

interface Cut { afterMs: number, answer: string }

/** Opens a connection, hands it to `drive`, and resolves when the server closes it. */
async function slowClient (port: number, drive: (socket: Socket) => void): Promise<Cut> {
  const started = Date.now()
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => { answer += String(chunk) })
  socket.on('error', () => {})
  socket.on('connect', () => drive(socket))
  await new Promise((resolve) => socket.on('close', resolve))
  return { afterMs: Date.now() - started, answer }
}

/** Sends `head` one byte every 100 ms, then filler header bytes forever (until the socket closes). */
function dribble (head: string) {
  return (socket: Socket): void => {
    let i = 0
    const timer = setInterval(() => {
      if (socket.destroyed) { clearInterval(timer); return }
      socket.write(i < head.length ? head[i]! : 'a')
      i++
    }, 100)
  }
}

/** GET on a fresh connection (no keep-alive pool); resolves with status and latency. */
async function freshGet (port: number, path: string): Promise<{ status: number, ms: number }> {
  const started = Date.now()
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }))
    })
    req.on('error', reject)
    req.end()
  })
}

function problemIn (t: Pick<Test, 'match'>, answer: string): Record<string, unknown> {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  t.match(head, /^HTTP\/1.1 408 /)
  t.match(head, /content-type: application\/problem\+json/)
  return JSON.parse(body)
}

t.test('the configured timeouts are the Node server\'s', async (t) => {
  const { app } = await listening(t)
  t.equal(app.server.headersTimeout, HEADERS_TIMEOUT_MS)
  t.equal(app.server.requestTimeout, REQUEST_TIMEOUT_MS)
})

t.test('clients dribbling their headers are cut off after REQUEST_HEADERS_TIMEOUT_MS while other connections are served', async (t) => {
  const { port } = await listening(t)
  const SLOW_CLIENTS = 20
  const slow = Array.from({ length: SLOW_CLIENTS }, async () =>
    await slowClient(port, dribble('GET /health/live HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ')))
  let allCut = false
  const slowDone = Promise.all(slow).then((cuts) => { allCut = true; return cuts })

  // Meanwhile: ordinary requests on their own connections, one every 100 ms, until the slow ones are gone.
  const served: Array<{ status: number, ms: number }> = []
  const started = Date.now()
  while (!allCut && Date.now() - started < HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + 5000) {
    served.push(await freshGet(port, '/health/live'))
    await sleep(100)
  }
  const cuts = await slowDone

  const latest = Math.max(...cuts.map((c) => c.afterMs))
  const earliest = Math.min(...cuts.map((c) => c.afterMs))
  const slowest = Math.max(...served.map((s) => s.ms))
  t.comment(`${SLOW_CLIENTS} slow clients cut after ${earliest}–${latest} ms (headers timeout ${HEADERS_TIMEOUT_MS} ms); meanwhile ${served.length} requests served, slowest ${slowest} ms`)
  t.ok(earliest >= HEADERS_TIMEOUT_MS, `not before the timeout (${earliest} ms)`)
  t.ok(latest <= HEADERS_TIMEOUT_MS + CHECK_INTERVAL_MS + SLACK_MS, `within the timeout and one check (${latest} ms)`)
  for (const cut of cuts) t.match(problemIn(t, cut.answer), { code: 'request_timeout', status: 408 })
  t.ok(served.length >= 5, `requests were answered while the slow clients hung on (${served.length})`)
  t.ok(served.every((s) => s.status === 200), 'all of them 200')
  t.ok(slowest < 1000, `none waited for the slow clients (slowest ${slowest} ms)`)
})

t.test('a request body slower than REQUEST_TIMEOUT_MS gets 408 request_timeout and the connection closes', async (t) => {
  const { port } = await listening(t)
  const cut = await slowClient(port, (socket) => {
    socket.write('POST /v1/sessions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{')
    dribble('')(socket)
  })
  t.comment(`slow body cut after ${cut.afterMs} ms (request timeout ${REQUEST_TIMEOUT_MS} ms)`)
  t.ok(cut.afterMs >= REQUEST_TIMEOUT_MS && cut.afterMs <= REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + SLACK_MS, `${cut.afterMs} ms`)
  t.match(problemIn(t, cut.answer), { code: 'request_timeout', status: 408, type: 'urn:sessiond:problem:request_timeout' })
})

t.test('a response streamed for longer than REQUEST_TIMEOUT_MS is not cut: event streams are exempt', async (t) => {
  const { port } = await listening(t, slowStream)
  const started = Date.now()
  const { status, body } = await new Promise<{ status: number, body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/test/slow-stream', agent: false }, (res) => {
      let body = ''
      res.on('data', (chunk) => { body += String(chunk) })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
  const elapsed = Date.now() - started
  t.comment(`stream open for ${elapsed} ms (request timeout ${REQUEST_TIMEOUT_MS} ms, headers timeout ${HEADERS_TIMEOUT_MS} ms)`)
  t.equal(status, 200)
  t.ok(elapsed > REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS, `held open past the request timeout and a check (${elapsed} ms)`)
  t.equal(body.match(/: tick \d+/g)?.length, STREAM_CHUNKS, 'every chunk arrived')
})

t.test('an idle keep-alive connection between requests is not taken for a slow client', async (t) => {
  const { port } = await listening(t)
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => { answer += String(chunk) })
  await new Promise((resolve) => socket.on('connect', resolve))
  socket.write('GET /health/live HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n')
  await sleep(REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + 500)
  t.notOk(socket.destroyed, 'still open past both timeouts (keep-alive is Fastify\'s 72 s)')
  socket.write('GET /health/live HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n')
  await new Promise((resolve) => socket.on('close', resolve))
  t.equal(answer.match(/HTTP\/1.1 200 /g)?.length, 2, 'both requests answered on the one connection')
})
