// Faults of a standalone Redis under load, against the real sessiond process: kill -9 under a write
// stream, SIGSTOP for 8 s, every command slowed, and Redis absent when sessiond starts.
import t from 'tap'
import { startEmbeddedRedis } from '../../src/redis/embedded-server.js'
import { freePort, privateRedis, sleep, slowDown, tempDir } from '../helper.js'
import {
  BOUND_MS, COMMAND_TIMEOUT_MS, Recorder, audit, call, createSessions, json, keepAlive, loop, messageWriter, report,
  serverTimes, startService, stats, untilStatus, type Acked
} from './harness.js'

t.test('kill -9 of Redis under a write stream: every acknowledged write is there afterwards, seqs without gaps', async (t) => {
  const redis = await privateRedis(t, { appendOnly: true })
  const service = await startService(t, { REDIS_URL: redis.server.url })
  const sessions = await createSessions(service.port, 8)
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const acked: Acked[] = []
  const unknown = new Set<string>()
  const writers = loop(8, messageWriter(service.port, recorder, agent, (() => { let i = 0; return () => sessions[i++ % sessions.length]! })(), acked, unknown, 'kill'))
  await sleep(3000)
  const killedAt = Date.now()
  const ackedBeforeKill = acked.length
  process.kill(redis.server.pid, 'SIGKILL')
  await sleep(1000)
  await redis.restart()
  const restartedAt = Date.now()
  await sleep(3000)
  await writers.stop()
  const firstAfter = acked.find((a) => a.at >= restartedAt)
  const result = await audit(service.port, sessions, acked)
  const during = stats(recorder.between(killedAt, restartedAt + 2000))
  serverTimes(recorder.answers, service.output())
  const all = stats(recorder.answers)
  t.equal(result.lost.length, 0, `every acknowledged message is stored (${result.acknowledged} acknowledged)`)
  t.equal(result.gaps, 0, 'seqs are contiguous in every session')
  t.equal(result.duplicates, 0, 'no message is stored twice (retries kept their Idempotency-Key)')
  t.equal(all.serverOverBound, 0, `every answer within ${BOUND_MS} ms by the server's clock (max ${all.serverMax} ms)`)
  t.ok(all.max <= 2 * BOUND_MS, `and by the client's, which a busy machine delays (max ${all.max} ms)`)
  t.equal(unknown.size, 0, 'every write was retried until acknowledged')
  t.ok(service.alive(), 'sessiond kept running')
  report('standalone-kill9', {
    acknowledged: result.acknowledged,
    acknowledged_before_kill: ackedBeforeKill,
    acknowledged_lost: result.lost.length,
    seq_gaps: result.gaps,
    duplicates: result.duplicates,
    answers: all.count,
    answers_503: all.byStatus['503'] ?? 0,
    answers_over_bound: all.overBound,
    server_answers_over_bound: all.serverOverBound,
    max_ms: all.max,
    server_max_ms: all.serverMax,
    p99_ms: all.p99,
    during_outage: during.byStatus,
    recovered_ms_after_restart: firstAfter === undefined ? null : firstAfter.at - restartedAt
  })
})

t.test('SIGSTOP of Redis for 8 s under load: every answer within the bound, nothing left pending, back by itself', async (t) => {
  const redis = await privateRedis(t, { appendOnly: true })
  const service = await startService(t, { REDIS_URL: redis.server.url })
  const sessions = await createSessions(service.port, 8)
  for (const id of sessions) await call(service.port, 'PUT', `/v1/sessions/${id}/steps/1`, { body: { a: 1 } })
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const kinds = ['GET session', 'PUT step', 'POST message']
  const load = loop(8, async (worker, n) => {
    const id = sessions[worker % sessions.length]!
    const kind = kinds[n % kinds.length]!
    if (kind === 'GET session') await recorder.track(kind, call(service.port, 'GET', `/v1/sessions/${id}`, { agent }))
    else if (kind === 'PUT step') await recorder.track(kind, call(service.port, 'PUT', `/v1/sessions/${id}/steps/${1 + (n % 20)}`, { agent, body: { n } }))
    else await recorder.track(kind, call(service.port, 'POST', `/v1/sessions/${id}/messages`, { agent, headers: { 'idempotency-key': `stop-${worker}-${n}` }, body: { role: 'user', content: 'x' } }))
  })
  await sleep(2000)
  await service.metric('nodejs_eventloop_lag_max_seconds') // reading it starts a new measurement
  const stoppedAt = Date.now()
  process.kill(redis.server.pid, 'SIGSTOP')
  await sleep(8000)
  process.kill(redis.server.pid, 'SIGCONT')
  const resumedAt = Date.now()
  await sleep(3000)
  const stopAsked = Date.now()
  await load.stop()
  const drainedMs = Date.now() - stopAsked
  const lagMs = Math.round(((await service.metric('nodejs_eventloop_lag_max_seconds')) ?? 0) * 1000)
  await sleep(500)
  const pending = await service.metric('sessiond_redis_pending_commands')
  serverTimes(recorder.answers, service.output())
  const all = stats(recorder.answers)
  const paused = stats(recorder.between(stoppedAt, resumedAt))
  const firstOk = recorder.answers.filter((a) => a.startedAt >= resumedAt && a.status < 300).sort((a, b) => a.startedAt - b.startedAt)[0]
  t.equal(all.serverOverBound, 0, `every answer within ${BOUND_MS} ms by the server's clock (max ${all.serverMax} ms)`)
  t.ok(all.max <= 2 * BOUND_MS, `and by the client's, which a busy machine delays (max ${all.max} ms)`)
  t.equal(recorder.outstanding, 0, 'no request left pending')
  t.ok(drainedMs < BOUND_MS + 500, `the last requests ended ${drainedMs} ms after the load stopped`)
  t.same(Object.keys(all.byStatus).filter((s) => !['200', '201', '503'].includes(s)), [], 'only 2xx and 503')
  t.ok((paused.byStatus['503'] ?? 0) > 0, 'paused: 503')
  t.equal(pending, 0, 'ioredis holds no command once Redis answered again')
  report('standalone-sigstop-8s', {
    answers: all.count,
    while_paused: paused.byStatus,
    max_ms_while_paused: paused.max,
    event_loop_lag_max_ms: lagMs,
    max_ms: all.max,
    server_max_ms: all.serverMax,
    answers_over_bound: all.overBound,
    server_answers_over_bound: all.serverOverBound,
    pending_requests_at_end: recorder.outstanding,
    pending_redis_commands_after: pending,
    recovered_ms_after_sigcont: firstOk === undefined ? null : firstOk.startedAt + firstOk.ms - resumedAt
  })
})

t.test('every Redis command slowed to ~450 ms: requests of many commands answer within the bound', async (t) => {
  const redis = await privateRedis(t, { extraArgs: ['--enable-debug-command', 'yes'] })
  const service = await startService(t, { REDIS_URL: redis.server.url })
  const sessions = await createSessions(service.port, 12, 'slow-user')
  await service.metric('nodejs_eventloop_lag_max_seconds') // reading it starts a new measurement
  const slow = slowDown(redis.server.url, 450)
  t.teardown(slow.stop)
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const requests: Array<[string, (n: number) => Promise<unknown>]> = [
    ['POST session with key', async (n) => await recorder.track('POST session with key', call(service.port, 'POST', '/v1/sessions', { agent, headers: { 'idempotency-key': `slow-${n}` }, body: { user_id: 'slow-user' } }))],
    ['POST message with key', async (n) => await recorder.track('POST message with key', call(service.port, 'POST', `/v1/sessions/${sessions[n % 12]}/messages`, { agent, headers: { 'idempotency-key': `slow-m-${n}` }, body: { role: 'user', content: 'x' } }))],
    ['PATCH session', async (n) => await recorder.track('PATCH session', call(service.port, 'PATCH', `/v1/sessions/${sessions[n % 12]}`, { agent, body: { metadata: { n } } }))],
    ['GET user listing', async () => await recorder.track('GET user listing', call(service.port, 'GET', '/v1/users/slow-user/sessions', { agent }))],
    ['DELETE session', async (n) => await recorder.track('DELETE session', call(service.port, 'DELETE', `/v1/sessions/${sessions[n % 12]}`, { agent }))],
    ['DELETE user (erasure)', async () => await recorder.track('DELETE user (erasure)', call(service.port, 'DELETE', '/v1/users/slow-user/sessions', { agent }))],
    ['GET session', async (n) => await recorder.track('GET session', call(service.port, 'GET', `/v1/sessions/${sessions[n % 12]}`, { agent }))]
  ]
  const load = loop(requests.length, async (worker, n) => { await requests[worker]![1](n) })
  await sleep(6000)
  await load.stop()
  const lagMs = Math.round(((await service.metric('nodejs_eventloop_lag_max_seconds')) ?? 0) * 1000)
  await slow.stop()
  serverTimes(recorder.answers, service.output())
  const byKind = Object.fromEntries(requests.map(([kind]) => {
    const s = stats(recorder.answers.filter((a) => a.kind === kind))
    return [kind, { count: s.count, ok: s.count - (s.byStatus['503'] ?? 0), '503': s.byStatus['503'] ?? 0, max_ms: s.max, server_max_ms: s.serverMax }]
  }))
  const all = stats(recorder.answers)
  t.equal(all.serverOverBound, 0, `every answer within ${BOUND_MS} ms by the server's clock (max ${all.serverMax} ms)`)
  t.ok(all.max <= 2 * BOUND_MS, `and by the client's, which a busy machine delays (max ${all.max} ms)`)
  t.same(Object.keys(all.byStatus).filter((s) => !['200', '201', '204', '404', '503'].includes(s)), [], 'answers or 503, never a 500 or a hang')
  report('standalone-slow-450ms', { command_timeout_ms: COMMAND_TIMEOUT_MS, bound_ms: BOUND_MS, max_ms: all.max, server_max_ms: all.serverMax, answers_over_bound: all.overBound, server_answers_over_bound: all.serverOverBound, event_loop_lag_max_ms: lagMs, by_request: byKind })
})

t.test('Redis absent at start: sessiond stays up (live 200, ready 503, API 503) and is ready by itself when Redis appears', async (t) => {
  const port = await freePort()
  const started = Date.now()
  const service = await startService(t, { REDIS_URL: `redis://127.0.0.1:${port}` }, { waitReady: false })
  const liveAfter = Date.now() - started
  const ready = await call(service.port, 'GET', '/health/ready')
  const api = await call(service.port, 'POST', '/v1/sessions', { body: { user_id: 'early' } })
  t.equal(ready.status, 503, 'not ready')
  t.equal(api.status, 503, 'the API answers 503')
  t.match(json(api), { code: 'redis_unavailable' })
  t.ok(api.ms <= BOUND_MS, `at once (${api.ms} ms)`)
  await sleep(3000)
  t.ok(service.alive(), 'still running after 3 s without Redis')
  const redis = await startEmbeddedRedis({ dataDir: tempDir(t, 'late'), appendOnly: false, port })
  t.teardown(() => redis.stop())
  const redisAt = Date.now()
  const readyAfter = await untilStatus(service.port, '/health/ready', 200, 10_000, 20)
  const created = await call(service.port, 'POST', '/v1/sessions', { body: { user_id: 'early' } })
  t.equal(created.status, 201, 'and serves once Redis is there')
  t.ok(readyAfter <= 2000, `ready ${readyAfter} ms after Redis appeared`)
  report('standalone-absent-at-start', {
    live_ms_after_spawn: liveAfter,
    ready_while_absent: ready.status,
    api_while_absent: api.status,
    api_ms_while_absent: api.ms,
    ready_ms_after_redis_appeared: readyAfter,
    ready_ms_after_redis_appeared_measured_from: new Date(redisAt).toISOString(),
    exited: !service.alive()
  })
})
