// The generated TypeScript client (clients/typescript) against the real process: the built server on
// a free port with its embedded Redis and an API key, driven only through the client. An onboarding
// wizard from creation to its finalized result, a chat paged with the cursor, and the errors a client
// meets, read as typed problem documents. The type assertions are checked by `npm run typecheck`.
import t from 'tap'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { createSessiondClient, ifMatch, isProblem, type Message, type SessiondClient } from '../../clients/typescript/index.js'
import { freePort, sleep } from '../helper.js'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const API_KEY = 'k'.repeat(40)
const started = Date.now()

/** True when A and B are the same type (checked at compile time). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

/** The built server (node dist/src/server.js) with its embedded Redis; resolves with its base URL once ready. */
async function startServer (test: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiond-client-e2e-'))
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      REDIS_URL: '', REDIS_CLUSTER_NODES: '', REDIS_SENTINELS: '',
      API_KEYS: `e2e-client:${API_KEY}`, ADMIN_API_KEYS: '', JWT_SECRET: '', JWT_PUBLIC_KEY: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn'
    }
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise((done) => child.on('exit', done))
  test.teardown(async () => {
    try { process.kill(-child.pid!, 'SIGKILL') } catch { /* gone */ }
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (await fetch(`${base}/health/ready`).then((r) => r.status === 200, () => false)) return base
    await sleep(50)
  }
  throw new Error(`the server was not ready within 20 s; output:\n${output}`)
}

t.before(() => {
  // As npm start's prestart does: build only when a source changed since the last build.
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' })
})

let client: SessiondClient
let baseUrl: string
t.before(async () => {
  baseUrl = await startServer(t)
  client = createSessiondClient({ baseUrl, token: API_KEY })
})
t.teardown(() => { t.comment(`client end-to-end: ${Date.now() - started} ms including build check and server start`) })

t.test('an onboarding wizard: create, save 23 steps, finalize, read the result', async (t) => {
  const created = await client.POST('/v1/sessions', { body: { user_id: 'ada', kind: 'onboarding', metadata: { locale: 'en-GB' } } })
  t.equal(created.response.status, 201)
  const session = created.data!
  t.match(session, { user_id: 'ada', kind: 'onboarding', state: 'active', total_steps: 23, version: 1 })
  t.equal(created.response.headers.get('location'), `/v1/sessions/${session.id}`)
  t.equal(created.response.headers.get('etag'), '"1"')

  for (let n = 1; n <= 23; n++) {
    const saved = await client.PUT('/v1/sessions/{id}/steps/{n}', { params: { path: { id: session.id, n } }, body: { answer: `answer ${n}`, n } })
    if (saved.error !== undefined) throw new Error(`step ${n}: ${saved.error.code}`)
    t.equal(saved.data.progress.completed, n, `step ${n} saved`)
    t.equal(saved.response.headers.get('etag'), `"${n + 1}"`)
  }
  const progress = await client.GET('/v1/sessions/{id}/progress', { params: { path: { id: session.id } } })
  t.match(progress.data, { completed: 23, total: 23, percent: 100, next_step: null })

  const finalized = await client.POST('/v1/sessions/{id}/finalize', { params: { path: { id: session.id } } })
  t.equal(finalized.response.status, 200)
  const result = finalized.data!
  t.match(result.session, { id: session.id, state: 'completed', version: 25 })
  t.equal(Object.keys(result.context.steps).length, 23)
  t.same(result.context.steps['7'], { answer: 'answer 7', n: 7 })
  t.match(result.context.merged, { answer: 'answer 23', n: 23 }, 'later steps win the merge')
  t.same(result.context.metadata, { locale: 'en-GB' })

  const again = await client.POST('/v1/sessions/{id}/finalize', { params: { path: { id: session.id } }, body: { allow_incomplete: false } })
  t.same(again.data, result, 'finalizing again returns the stored result')

  // GET /v1/sessions/{id}/result arrives with the events work; until then the call is skipped.
  const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'))
  if (doc.paths['/v1/sessions/{id}/result'] === undefined) {
    t.comment('GET /v1/sessions/{id}/result is not in openapi.yaml yet: skipped')
  } else {
    const untyped = client as unknown as { GET: (path: string, init: unknown) => Promise<{ data?: unknown, response: Response }> }
    const stored = await untyped.GET('/v1/sessions/{id}/result', { params: { path: { id: session.id } } })
    t.equal(stored.response.status, 200)
    t.same(stored.data, result, 'the stored result')
  }

  const late = await client.PUT('/v1/sessions/{id}/steps/{n}', { params: { path: { id: session.id, n: 1 } }, body: { answer: 'too late' } })
  t.equal(late.error?.code, 'session_finalized', 'a finalized session takes no more steps')
})

t.test('a chat: post messages, then page through them with the cursor', async (t) => {
  const { data: chat } = await client.POST('/v1/sessions', { body: { user_id: 'ada', kind: 'chat' } })
  const id = chat!.id
  const posted: Message[] = []
  for (let i = 1; i <= 7; i++) {
    const { data, error } = await client.POST('/v1/sessions/{id}/messages', {
      params: { path: { id } },
      body: { role: i % 2 === 1 ? 'user' : 'assistant', content: `message ${i}` }
    })
    if (error !== undefined) throw new Error(error.code)
    posted.push(data)
  }
  t.same(posted.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7])

  const retry = { params: { path: { id }, header: { 'idempotency-key': 'chat-8' } }, body: { role: 'user' as const, content: 'message 8' } }
  const first = await client.POST('/v1/sessions/{id}/messages', retry)
  const replayed = await client.POST('/v1/sessions/{id}/messages', retry)
  t.same(replayed.data, first.data, 'a retry with the same Idempotency-Key returns the first message')
  t.equal(replayed.response.headers.get('idempotent-replayed'), 'true')

  const pages: string[][] = []
  let cursor: string | undefined
  do {
    const { data, error } = await client.GET('/v1/sessions/{id}/messages', { params: { path: { id }, query: { limit: 3, cursor } } })
    if (error !== undefined) throw new Error(error.code)
    pages.push(data.messages.map((m) => m.content))
    cursor = data.next_cursor ?? undefined
  } while (cursor !== undefined)
  t.same(pages, [['message 1', 'message 2', 'message 3'], ['message 4', 'message 5', 'message 6'], ['message 7', 'message 8']])

  const newest = await client.GET('/v1/sessions/{id}/messages', { params: { path: { id }, query: { order: 'desc', limit: 1 } } })
  t.equal(newest.data?.messages[0]?.seq, 8)
})

t.test('errors arrive as typed problem documents', async (t) => {
  const missing = await client.GET('/v1/sessions/{id}', { params: { path: { id: 'no-such-session' } } })
  t.equal(missing.response.status, 404)
  t.match(missing.response.headers.get('content-type'), /^application\/problem\+json/)
  const problem = missing.error!
  // getSession answers exactly these codes, and the client's types know it.
  const codes: Equal<typeof problem.code, 'validation_failed' | 'unauthorized' | 'session_not_found' | 'rate_limited' | 'internal_error' | 'redis_unavailable'> = true
  t.ok(codes)
  t.ok(isProblem(problem))
  t.match(problem, { type: 'urn:sessiond:problem:session_not_found', code: 'session_not_found', status: 404, title: 'Session not found' })
  t.equal(problem.request_id, missing.response.headers.get('x-request-id'), 'request_id is the x-request-id')

  const { data: session } = await client.POST('/v1/sessions', { body: { user_id: 'ada', kind: 'onboarding' } })
  const id = session!.id
  const unsaved = await client.GET('/v1/sessions/{id}/steps/{n}', { params: { path: { id, n: 4 } } })
  t.equal(unsaved.error?.code, 'step_not_found')

  // if-match: a change made on a version someone else moved past changes nothing.
  await client.PUT('/v1/sessions/{id}/steps/{n}', { params: { path: { id, n: 1 } }, body: { name: 'Ada' } })
  const stale = await client.PATCH('/v1/sessions/{id}', { params: { path: { id }, header: { 'if-match': ifMatch(session!.version) } }, body: { state: 'paused' } })
  t.equal(stale.response.status, 412)
  t.match(stale.error, { code: 'version_conflict', current_version: 2 })
  if (stale.error?.code === 'version_conflict') t.equal(stale.error.current_version, 2, 'current_version says where the session is')
  const fresh = await client.PATCH('/v1/sessions/{id}', { params: { path: { id }, header: { 'if-match': ifMatch(2) } }, body: { state: 'paused' } })
  t.match(fresh.data, { state: 'paused', version: 3 })

  const invalid = await client.PATCH('/v1/sessions/{id}', { params: { path: { id } }, body: { state: 'completed' } })
  t.equal(invalid.error?.code, 'invalid_transition')

  const anonymous = createSessiondClient({ baseUrl })
  const refused = await anonymous.GET('/v1/sessions/{id}', { params: { path: { id } } })
  t.equal(refused.response.status, 401)
  t.equal(refused.error?.code, 'unauthorized')
  t.match(refused.response.headers.get('www-authenticate'), /^Bearer/)

  const refreshed = createSessiondClient({ baseUrl, token: async () => API_KEY })
  t.equal((await refreshed.GET('/v1/sessions/{id}', { params: { path: { id } } })).response.status, 200, 'a token function works too')
})
