// CORS as a browser sees it (contract §1): a page on another origin does a preflighted, credentialed
// PATCH with if-match and a bearer API key, and reads etag and x-request-id from JS; a page on an origin
// that is not listed gets nothing. Real headless chromium, real sockets.
import t from 'tap'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { authEnv, browserTestSkipped, buildTestApp, launchBrowser, serviceKey, type Tap } from '../helper.js'

const skip = browserTestSkipped()

/** A second HTTP server: a blank page, on an origin of its own (its own port). */
async function frontend (test: Tap): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><html><head><title>frontend</title></head><body>frontend</body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  test.teardown(async () => { await new Promise((resolve) => server.close(resolve)) })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

interface PageResult {
  ok: boolean
  error?: string
  created?: { status: number, etag: string | null, location: string | null }
  patched?: { status: number, etag: string | null, requestId: string | null, state: string }
}

/** Runs in the page: create a session, then PATCH it with if-match, both cross-origin with credentials. */
async function createThenPatch ({ api, token }: { api: string, token: string }): Promise<PageResult> {
  try {
    const create = await fetch(`${api}/v1/sessions`, {
      method: 'POST',
      mode: 'cors',
      credentials: 'include',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'browser-user' })
    })
    const session = await create.json()
    const created = { status: create.status, etag: create.headers.get('etag'), location: create.headers.get('location') }
    const patch = await fetch(`${api}/v1/sessions/${session.id}`, {
      method: 'PATCH',
      mode: 'cors',
      credentials: 'include',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': created.etag ?? '' },
      body: JSON.stringify({ state: 'paused' })
    })
    const patchedBody = await patch.json()
    return {
      ok: true,
      created,
      patched: { status: patch.status, etag: patch.headers.get('etag'), requestId: patch.headers.get('x-request-id'), state: patchedBody.state }
    }
  } catch (err) {
    return { ok: false, error: String(err) }
  }
}

async function apiWithCors (test: Tap, origins: string, logs: string[]): Promise<string> {
  const logStream = new Writable({ write (chunk, _enc, done) { logs.push(String(chunk)); done() } })
  const { app } = await buildTestApp(test, { ...authEnv, CORS_ORIGINS: origins, LOG_LEVEL: 'info' }, { logStream })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

const accessLog = (logs: string[]): Array<{ method: string, route: string, status: number }> =>
  logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request completed')

t.test('a page on a listed origin does a preflighted, credentialed PATCH with if-match and reads etag and x-request-id', { skip }, async (t) => {
  const page = await frontend(t)
  const logs: string[] = []
  const api = await apiWithCors(t, page, logs)
  const browser = await launchBrowser(t)
  const tab = await browser.newPage()
  const consoleErrors: string[] = []
  tab.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()) })
  await tab.goto(page)

  const result = await tab.evaluate(createThenPatch, { api, token: serviceKey })
  t.same(consoleErrors, [], 'no CORS error in the console')
  t.equal(result.ok, true, result.error ?? 'both requests went through')
  t.match(result.created, { status: 201, etag: '"1"', location: /^\/v1\/sessions\/[A-Za-z0-9_-]+$/ }, 'etag and location are readable from JS')
  t.match(result.patched, { status: 200, etag: '"2"', requestId: /^[0-9a-f-]{36}$/, state: 'paused' }, 'so are the new etag and x-request-id')

  const log = accessLog(logs)
  t.match(log.filter((entry) => entry.method === 'OPTIONS'), [
    { route: '/v1*', status: 204 },
    { route: '/v1*', status: 204 }
  ], 'the browser sent a preflight before each request, and it was answered without credentials')
  t.match(log.filter((entry) => entry.method !== 'OPTIONS'), [
    { method: 'POST', route: '/v1/sessions', status: 201 },
    { method: 'PATCH', route: '/v1/sessions/:id', status: 200 }
  ])
})

t.test('a page on an origin that is not listed cannot call the API: the browser refuses after the preflight', { skip }, async (t) => {
  const listed = await frontend(t)
  const other = await frontend(t)
  const logs: string[] = []
  const api = await apiWithCors(t, listed, logs)
  const browser = await launchBrowser(t)
  const tab = await browser.newPage()
  const consoleErrors: string[] = []
  tab.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()) })
  await tab.goto(other)

  const result = await tab.evaluate(createThenPatch, { api, token: serviceKey })
  t.equal(result.ok, false, 'fetch rejects')
  t.match(result.error, /TypeError: Failed to fetch/)
  t.match(consoleErrors.join('\n'), /blocked by CORS policy/, 'chromium says why')
  const log = accessLog(logs)
  t.match(log, [{ method: 'OPTIONS', route: '/v1*' }], 'only the preflight reached the API')
  t.equal(log.length, 1, 'the POST itself was never sent')
  t.not(log[0]?.status, 204, 'and the preflight was refused')
})
