// Graceful shutdown of a listening app: readiness turns 503 at once, in-flight requests finish, Redis quits.
import t from 'tap'
import { connect, type Socket } from 'node:net'
import { once } from 'node:events'
import type { IncomingMessage } from 'node:http'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createSession, privateRedis, refusesConnections, sleep } from './helper.js'

/** Sends raw bytes on a socket and resolves with everything the server sends until it closes. */
function collect (socket: Socket): Promise<string> {
  let text = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { text += chunk })
  return new Promise((resolve, reject) => {
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

async function until (condition: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${withinMs} ms`)
    await sleep(5)
  }
}

t.test('on close: ready answers 503 at once, the in-flight request completes, then Redis is quit', async (t) => {
  const { server: redis } = await privateRedis(t)
  const app = await buildApp(loadConfig({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '5000', LOG_LEVEL: 'silent' }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const session = await createSession(app)

  // A readiness probe whose request line and headers are sent now, and whose final CRLF is sent once
  // the shutdown has begun: its connection is busy, so closing the server does not drop it.
  const probe = connect({ host: '127.0.0.1', port })
  await once(probe, 'connect')
  const probeResponse = collect(probe)
  probe.write('GET /health/ready HTTP/1.1\r\nHost: sessiond\r\n')

  // An API request held in flight: Redis is paused, so it waits (up to the 5 s command timeout).
  const arrived: string[] = []
  app.server.on('request', (req: IncomingMessage) => arrived.push(req.url ?? ''))
  process.kill(redis.pid, 'SIGSTOP')
  const inFlight = fetch(`http://127.0.0.1:${port}/v1/sessions/${session.id}`)
  await until(() => arrived.includes(`/v1/sessions/${session.id}`), 2000, 'the slow request reaching the server')

  const closed = app.close()
  await until(() => app.lifecycle.shuttingDown, 1000, 'preClose')
  probe.write('\r\n')
  const probeText = await probeResponse
  t.match(probeText, /^HTTP\/1\.1 503 /, 'readiness is 503 while draining')
  t.match(probeText, /\r\nconnection: close\r\n/i, 'and the connection is closed after it')
  t.match(probeText, '{"status":"not_ready","reason":"shutting down"}')
  t.ok(await refusesConnections(port), 'no new connections are accepted')
  t.not(app.redis.client.status, 'end', 'Redis stays connected while a request is in flight')

  process.kill(redis.pid, 'SIGCONT')
  const response = await inFlight
  t.equal(response.status, 200, 'the in-flight request completes')
  t.equal((await response.json() as { id: string }).id, session.id)
  t.equal(response.headers.get('connection'), 'close', 'and closes its keep-alive connection, which would hold close() open')
  const drained = await Promise.race([closed.then(() => true), sleep(2000).then(() => false)])
  t.ok(drained, 'close() completes once the in-flight request is done, not after keepAliveTimeout')
  const client = app.redis.client
  if (client.status !== 'end') await once(client, 'end')
  t.equal(client.status, 'end', 'Redis is quit once the requests are done')
})
