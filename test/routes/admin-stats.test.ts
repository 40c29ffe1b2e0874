// GET /v1/admin/stats (contract §9): live sessions by kind and state, and what was created, finalized,
// expired and deleted per UTC day, kept by the changes themselves (no scan), across instances.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { adminKey, authEnv, bearer, buildTestApp, createSession, json, serviceKey, sleep } from '../helper.js'
import { utcDate } from '../../src/domain/time.js'

const today = (): string => utcDate(Date.now())

t.test('every change counts once, on the day it happens; live sessions are counted by kind and state', async (t) => {
  // Sessions without a kind live 1 s, and the sweep runs every 100 ms.
  const { app } = await buildTestApp(t, { SESSION_TTL_SECONDS: '1', EXPIRY_SWEEP_INTERVAL_MS: '100' })
  const create = async (body: Record<string, unknown>, key?: string) => await createSession(app, body, key === undefined ? {} : { 'idempotency-key': key })

  const finalized = await create({ kind: 'onboarding', total_steps: 1 }, 'create-1')
  await create({ kind: 'onboarding', total_steps: 1 }, 'create-1') // a replay creates nothing
  await app.inject({ method: 'POST', url: `/v1/sessions/${finalized.id}/finalize`, payload: { allow_incomplete: true } })
  await app.inject({ method: 'POST', url: `/v1/sessions/${finalized.id}/finalize`, payload: { allow_incomplete: true } }) // the stored result again
  const paused = await create({ kind: 'chat', ttl_seconds: 3600 })
  await app.inject({ method: 'PATCH', url: `/v1/sessions/${paused.id}`, payload: { state: 'paused' } })
  await create({ kind: 'narrative', ttl_seconds: 3600, state: 'initializing' })
  const deleted = await create({ kind: 'chat', ttl_seconds: 3600 })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${deleted.id}` })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/sessions/${deleted.id}` })).statusCode, 404)
  await create({ user_id: 'leaving', kind: 'chat', ttl_seconds: 3600 })
  await create({ user_id: 'leaving', kind: 'narrative', ttl_seconds: 3600 })
  t.same(json(await app.inject({ method: 'DELETE', url: '/v1/users/leaving/sessions' })), { deleted: 2 })
  await create({}) // generic: expires after 1 s and is swept
  for (let i = 0; i < 100 && (await app.repos.stats.days()).at(-1)!.expired === 0; i++) await sleep(100)

  const response = await app.inject('/v1/admin/stats')
  t.equal(response.statusCode, 200)
  const stats = json(response)
  t.equal(stats.days.length, 30)
  t.same(stats.days.at(-1), { date: today(), created: 7, finalized: 1, expired: 1, deleted: 3 })
  t.equal(stats.days[0].date, utcDate(Date.now() - 29 * 86_400_000), 'the last 30 days, oldest first')
  t.ok(stats.days.slice(0, -1).every((day: any) => day.created === 0), 'nothing on the other days')
  t.match(stats.live, {
    total: 3,
    by_kind: { generic: 0, onboarding: 1, narrative: 1, chat: 1 },
    by_state: { initializing: 1, active: 0, paused: 1, transitioning: 0, completed: 1, error: 0 }
  })
  t.ok(Date.parse(stats.live.as_of) <= Date.now())

  const metrics = (await app.inject('/metrics')).body
  for (const [kind, count] of [['generic', 0], ['onboarding', 1], ['narrative', 1], ['chat', 1]]) {
    t.match(metrics, new RegExp(`^sessiond_sessions_live\\{kind="${kind}"\\} ${count}$`, 'm'), `sessiond_sessions_live{kind="${kind}"} ${count}`)
  }
})

t.test('instances add to the same days, and one that stops flushes what it counted', async (t) => {
  const first = await buildTestApp(t)
  const second = await buildApp(first.config)
  await second.ready()
  await createSession(first.app)
  await createSession(second, { kind: 'chat' })
  await createSession(second, { kind: 'chat' })
  await second.close() // within the flush interval: close() writes the counts

  const stats = json(await first.app.inject('/v1/admin/stats'))
  t.match(stats.days.at(-1), { date: today(), created: 3 })
  t.match(stats.live, { total: 3, by_kind: { generic: 1, chat: 2 } })
  const keys = await first.allKeys()
  const day = keys.find((key) => key.includes(':stats:'))
  t.equal(day, first.keys.stats(today()), 'one hash per UTC day')
  const ttl = await first.redis.pttl(day!)
  t.ok(ttl > 31 * 86_400_000 && ttl <= 32 * 86_400_000, 'kept past the 30 days shown')
})

t.test('live counts are reused for a few seconds, never read per request', async (t) => {
  const { app } = await buildTestApp(t)
  await createSession(app)
  t.equal(json(await app.inject('/v1/admin/stats')).live.total, 1)
  await createSession(app)
  const cached = json(await app.inject('/v1/admin/stats'))
  t.equal(cached.live.total, 1, 'the sum of a moment ago')
  t.equal(cached.days.at(-1).created, 2, 'the days are read each time')
})

t.test('only admin keys read the stats', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  t.equal((await app.inject({ url: '/v1/admin/stats', headers: bearer(serviceKey) })).statusCode, 403)
  t.equal((await app.inject({ url: '/v1/admin/stats', headers: bearer(adminKey) })).statusCode, 200)
})
