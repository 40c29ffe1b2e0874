// Sessions of every kind with everything under them, made through the API, and every read route's
// answer for them: what a backup must bring back exactly (test/routes/admin-backup.test.ts, and the
// same on a Cluster in test/cluster-backup.test.ts).
import type { FastifyInstance } from 'fastify'
import { ANY_OWNER } from '../src/domain/access.js'

export interface Fixture {
  ids: string[]
  users: string[]
  /** The session that is finalized, and one that is not. */
  finalized: string
  open: string
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

async function call (app: FastifyInstance, method: Method, url: string, payload?: object, headers: Record<string, string> = {}): Promise<any> {
  const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
  return response.body === '' ? null : JSON.parse(response.body)
}

/** Five sessions of two users: onboarding (finalized), narrative, chat (paused), generic (crisis hold), onboarding in progress. */
export async function makeFixture (app: FastifyInstance): Promise<Fixture> {
  const create = async (body: object, key: string): Promise<string> =>
    (await call(app, 'POST', '/v1/sessions', body, { 'idempotency-key': key })).id as string

  const finalized = await create({ user_id: 'ada', kind: 'onboarding', total_steps: 3, metadata: { plan: 'pro', nested: { a: [1, 2] } }, therapeutic_goals: ['calm'] }, 'k-1')
  for (const n of [1, 2, 3]) await call(app, 'PUT', `/v1/sessions/${finalized}/steps/${n}`, { answer: `step ${n}`, n, 'ünïcødé ✓': true })
  await call(app, 'PUT', `/v1/sessions/${finalized}/narrative/world_state`, { data: { weather: 'rain' }, ttl_seconds: 3600 })
  await call(app, 'POST', `/v1/sessions/${finalized}/finalize`, {})

  const narrative = await create({ user_id: 'ada', kind: 'narrative', workspace_id: 'ws-1', ttl_seconds: 7200 }, 'k-2')
  await call(app, 'PUT', `/v1/sessions/${narrative}/narrative/world_state`, { data: { weather: 'fog' } })
  await call(app, 'PUT', `/v1/sessions/${narrative}/narrative/story_variables`, { data: { chapter: 2 }, ttl_seconds: 600 })
  for (const scene of ['harbor', 'lighthouse']) {
    await call(app, 'POST', `/v1/sessions/${narrative}/scenes`, { scene_id: scene }, { 'idempotency-key': `scene-${scene}` })
    await call(app, 'POST', `/v1/sessions/${narrative}/choices`, { scene_id: scene, choice_id: 'left', label: 'Go left', data: { mood: 'brave' } })
  }

  const chat = await create({ user_id: 'bob', kind: 'chat' }, 'k-3')
  for (let i = 1; i <= 12; i++) {
    await call(app, 'POST', `/v1/sessions/${chat}/messages`, { role: i % 2 === 0 ? 'assistant' : 'user', content: `message ${i} "quoted" \n line`, metadata: { i } },
      { 'idempotency-key': `message-${i}` })
  }
  await call(app, 'PATCH', `/v1/sessions/${chat}`, { state: 'paused' })

  const generic = await create({ user_id: 'bob', state: 'initializing' }, 'k-4')
  await call(app, 'PATCH', `/v1/sessions/${generic}`, { state: 'active' })
  await call(app, 'PATCH', `/v1/sessions/${generic}`, { safety_level: 'crisis', metadata: { note: 'held' } })

  const open = await create({ user_id: 'ada', kind: 'onboarding', total_steps: 5 }, 'k-5')
  await call(app, 'PUT', `/v1/sessions/${open}/steps/2`, { answer: 'two' })
  await call(app, 'PUT', `/v1/sessions/${open}/steps/4`, { answer: 'four' })
  await call(app, 'DELETE', `/v1/sessions/${open}/steps/4`)
  await call(app, 'PUT', `/v1/sessions/${open}/steps/5`, { answer: 'five' })

  return { ids: [finalized, narrative, chat, generic, open], users: ['ada', 'bob'], finalized, open }
}

/** Every read route for the fixture, none of which slides an expiry: url → status, etag and body. */
export async function readEverything (app: FastifyInstance, fixture: Fixture): Promise<Record<string, { status: number, etag: unknown, body: unknown }>> {
  const urls: string[] = []
  for (const id of fixture.ids) {
    const base = `/v1/sessions/${id}`
    urls.push(`${base}?touch=false`, `${base}/summary?touch=false`, `${base}/steps`, `${base}/steps/2`, `${base}/progress`,
      `${base}/narrative`, `${base}/narrative/world_state`, `${base}/scenes`, `${base}/scenes?limit=1`, `${base}/choices`,
      `${base}/messages`, `${base}/messages?order=desc&limit=5`, `${base}/result`)
  }
  for (const user of fixture.users) urls.push(`/v1/users/${user}/sessions`, `/v1/users/${user}/sessions?kind=onboarding`)
  const out: Record<string, { status: number, etag: unknown, body: unknown }> = {}
  for (const url of urls) {
    const response = await app.inject({ method: 'GET', url })
    const body = response.body === '' ? null : JSON.parse(response.body)
    if (body?.request_id !== undefined) body.request_id = '(each request its own)'
    out[url] = { status: response.statusCode, etag: response.headers.etag, body }
  }
  // Listings page by page. A cursor names the last entry's place in the user index, whose score is
  // the create's own clock (a ms or so before the session's created_at, which a restore files it by):
  // the pages must be the same, not the opaque cursors.
  for (const user of fixture.users) {
    const pages: string[][] = []
    let cursor: string | null = null
    do {
      const page: any = JSON.parse((await app.inject(`/v1/users/${user}/sessions?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`)).body)
      pages.push(page.sessions.map((session: any) => session.id))
      cursor = page.next_cursor
    } while (cursor !== null && pages.length < 20)
    out[`pages of ${user}`] = { status: 200, etag: null, body: pages }
  }
  // The event log, as a reconnecting stream would get it.
  for (const id of fixture.ids) out[`events ${id}`] = { status: 200, etag: null, body: await app.repos.events.after(id, ANY_OWNER, 0).catch((err: Error) => err.message) }
  return out
}
