// A soak of mixed traffic against the real sessiond process (60 s; FAULT_SOAK_S to change it): no
// errors, memory that levels off, and nothing left behind once the load stops — no command waiting in
// ioredis, no extra timers or handles, no listener-leak warning.
import t from 'tap'
import { privateRedis, sleep } from '../helper.js'
import { Recorder, call, json, keepAlive, loop, report, startService, stats, type Answer } from './harness.js'

const SOAK_MS = Number(process.env.FAULT_SOAK_S ?? 60) * 1000
const WARM_UP_MS = Math.min(15_000, SOAK_MS / 4)

t.test(`${SOAK_MS / 1000} s of mixed traffic: no errors, RSS levels off, queues and timers back to where they were`, async (t) => {
  const redis = await privateRedis(t)
  // The default command timeout: this is about leaks under steady work, not about a slow Redis.
  const service = await startService(t, { REDIS_URL: redis.server.url, LOG_LEVEL: 'warn', REDIS_COMMAND_TIMEOUT_MS: '1000' })
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const resources = async (): Promise<Record<string, number | undefined>> => ({
    handles: await service.metric('nodejs_active_handles_total'),
    resources: await service.metric('nodejs_active_resources_total'),
    timeouts: (await service.metric('nodejs_active_resources', 'type="Timeout"')) ?? 0,
    pending_commands: await service.metric('sessiond_redis_pending_commands')
  })
  await sleep(1000)
  const idleBefore = await resources()

  const expect = async (kind: string, work: Promise<Answer>, status: number): Promise<Answer> => {
    const answer = await recorder.track(kind, work)
    if (answer.status !== status) recorder.answers.at(-1)!.kind = `${kind} (expected ${status})`
    return answer
  }
  // Each worker plays a whole session again and again: create, read, steps, chat, change, list, delete.
  const load = loop(8, async (worker, n) => {
    const user = `soak-${worker % 4}`
    const created = await expect('POST session', call(service.port, 'POST', '/v1/sessions', { agent, headers: { 'idempotency-key': `soak-${worker}-${n}` }, body: { user_id: user, kind: 'onboarding', total_steps: 5 } }), 201)
    if (created.status !== 201) return
    const id = json<{ id: string }>(created).id
    await expect('GET session', call(service.port, 'GET', `/v1/sessions/${id}`, { agent }), 200)
    for (let step = 1; step <= 3; step++) await expect('PUT step', call(service.port, 'PUT', `/v1/sessions/${id}/steps/${step}`, { agent, body: { step, text: 'x'.repeat(200) } }), 200)
    await expect('POST message', call(service.port, 'POST', `/v1/sessions/${id}/messages`, { agent, headers: { 'idempotency-key': `soak-m-${worker}-${n}` }, body: { role: 'user', content: 'hello there' } }), 201)
    await expect('PATCH session', call(service.port, 'PATCH', `/v1/sessions/${id}`, { agent, body: { metadata: { n } } }), 200)
    await expect('GET summary', call(service.port, 'GET', `/v1/sessions/${id}/summary`, { agent }), 200)
    await expect('GET messages', call(service.port, 'GET', `/v1/sessions/${id}/messages`, { agent }), 200)
    await expect('GET user listing', call(service.port, 'GET', `/v1/users/${user}/sessions?limit=20`, { agent }), 200)
    await expect('DELETE session', call(service.port, 'DELETE', `/v1/sessions/${id}`, { agent }), 204)
  })
  const samples: Array<{ at: number, rss: number, heap: number }> = []
  const sampler = loop(1, async () => {
    samples.push({ at: Date.now(), rss: (await service.metric('process_resident_memory_bytes')) ?? 0, heap: (await service.metric('nodejs_heap_size_used_bytes')) ?? 0 })
    await sleep(1000)
  })
  const started = Date.now()
  await sleep(SOAK_MS)
  await load.stop()
  await sampler.stop()
  agent.destroy() // the load's keep-alive connections
  await sleep(2000) // the batched audit and rate-limit writes flush within 100 ms; give them time
  // A scrape may itself start a read: the live-session gauge refreshes a sum older than 5 s
  // (LiveCounts.latest), and prom-client collects a scrape's metrics side by side, so the scrape that
  // starts the read also counts it as a pending command, with its command timer (CI of 2026-12-03 caught
  // one). What leaks never comes back; a read in flight is gone at the next look.
  const back = (now: Record<string, number | undefined>): boolean => now.pending_commands === 0 &&
    (now.timeouts ?? 0) <= (idleBefore.timeouts ?? 0) && (now.resources ?? 0) <= (idleBefore.resources ?? 0)
  let idleAfter = await resources()
  let looks = 1
  for (; looks < 20 && !back(idleAfter); looks++) {
    t.comment(`still busy at look ${looks}: ${JSON.stringify(idleAfter)}`)
    await sleep(250)
    idleAfter = await resources()
  }

  // Growth: the mean RSS of the second half after the warm-up against the first half's (a single
  // sample lands on a GC's peak or trough at random).
  const warm = samples.filter((s) => s.at >= started + WARM_UP_MS)
  const half = Math.floor(warm.length / 2)
  const mean = (list: typeof warm, field: 'rss' | 'heap'): number => list.reduce((sum, s) => sum + s[field], 0) / list.length
  const first = { rss: mean(warm.slice(0, half), 'rss'), heap: mean(warm.slice(0, half), 'heap') }
  const last = { rss: mean(warm.slice(half), 'rss'), heap: mean(warm.slice(half), 'heap') }
  const peakRss = Math.max(...warm.map((s) => s.rss))
  const growth = (last.rss - first.rss) / first.rss
  const all = stats(recorder.answers)
  const errors = recorder.answers.filter((a) => a.kind.includes('expected') || a.status === 0)
  const warnings = service.output().split('\n').filter((l) => /MaxListenersExceededWarning|Warning:/.test(l))
  t.equal(errors.length, 0, `no errors in ${all.count} requests (${JSON.stringify(errors.slice(0, 3).map((e) => [e.kind, e.status, e.body.slice(0, 80)]))})`)
  t.ok(growth < 0.10, `RSS ${(first.rss / 1e6).toFixed(1)} MB on average in the first half after the warm-up, ${(last.rss / 1e6).toFixed(1)} MB in the second (${(growth * 100).toFixed(1)} %)`)
  t.equal(idleAfter.pending_commands, 0, 'no Redis command waiting for a reply')
  t.ok((idleAfter.timeouts ?? 0) <= (idleBefore.timeouts ?? 0), `timers back to ${String(idleBefore.timeouts)} (now ${String(idleAfter.timeouts)})`)
  t.ok((idleAfter.handles ?? 0) <= (idleBefore.handles ?? 0), `handles back to ${String(idleBefore.handles)} (now ${String(idleAfter.handles)})`)
  t.ok((idleAfter.resources ?? 0) <= (idleBefore.resources ?? 0), `active resources back to ${String(idleBefore.resources)} (now ${String(idleAfter.resources)})`)
  t.same(warnings, [], 'no warnings (MaxListenersExceededWarning …) on stderr')
  report('soak', {
    idle_looks: looks,
    seconds: SOAK_MS / 1000,
    requests: all.count,
    requests_per_s: Math.round(all.count / (SOAK_MS / 1000)),
    errors: errors.length,
    p50_ms: all.p50,
    p99_ms: all.p99,
    max_ms: all.max,
    rss_mb_mean_first_half: Number((first.rss / 1e6).toFixed(1)),
    rss_mb_mean_second_half: Number((last.rss / 1e6).toFixed(1)),
    rss_mb_peak: Number((peakRss / 1e6).toFixed(1)),
    rss_growth_percent: Number((growth * 100).toFixed(1)),
    heap_mb_mean_first_half: Number((first.heap / 1e6).toFixed(1)),
    heap_mb_mean_second_half: Number((last.heap / 1e6).toFixed(1)),
    rss_mb_every_5_s: samples.filter((_, i) => i % 5 === 0).map((s) => Number((s.rss / 1e6).toFixed(0))),
    heap_mb_every_5_s: samples.filter((_, i) => i % 5 === 0).map((s) => Number((s.heap / 1e6).toFixed(0))),
    idle_before: idleBefore,
    idle_after: idleAfter,
    warnings: warnings.length
  })
})
