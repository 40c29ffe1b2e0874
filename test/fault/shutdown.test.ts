// SIGTERM under load, against the real sessiond process: readiness turns 503 at once, the listener keeps
// serving (new connections included) for SHUTDOWN_DRAIN_MS while a load balancer would still send
// traffic, then in-flight requests finish, new connections are refused, and the process exits 0 within
// SHUTDOWN_GRACE_MS of the drain's end.
import t from 'tap'
import { privateRedis, sleep } from '../helper.js'
import { Recorder, call, createSessions, keepAlive, loop, report, startService, stats } from './harness.js'

const DRAIN_MS = 2000
const GRACE_MS = 5000

t.test('SIGTERM under load: readiness 503 at once, still serving through the drain, then a clean exit', async (t) => {
  const redis = await privateRedis(t)
  const service = await startService(t, { REDIS_URL: redis.server.url, SHUTDOWN_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info' })
  const sessions = await createSessions(service.port, 8)
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  let refusedAt: number | undefined
  // Traffic a load balancer still sends: keep-alive workers, and requests on fresh connections.
  const reused = loop(8, async (worker) => {
    const answer = await recorder.track('keep-alive GET', call(service.port, 'GET', `/v1/sessions/${sessions[worker]}`, { agent }))
    if (answer.error === 'ECONNREFUSED') { refusedAt ??= Date.now(); await sleep(20) }
  })
  const fresh = loop(2, async (worker) => {
    const answer = await recorder.track('new-connection GET', call(service.port, 'GET', `/v1/sessions/${sessions[worker]}`))
    if (answer.error === 'ECONNREFUSED') refusedAt ??= Date.now()
    await sleep(20)
  })
  const probes: Array<{ at: number, status: number, error?: string }> = []
  const prober = loop(1, async () => {
    const answer = await call(service.port, 'GET', '/health/ready', { timeoutMs: 2000 })
    probes.push({ at: Date.now(), status: answer.status, error: answer.error })
    await sleep(25)
  })
  await sleep(1500)
  const termAt = Date.now()
  service.child.kill('SIGTERM')
  const code = await service.exited
  const exitedAt = Date.now()
  await Promise.all([reused.stop(), fresh.stop(), prober.stop()])

  const firstNotReady = probes.find((p) => p.at >= termAt && p.status === 503)
  // The server's drain starts when it handles the signal, a few ms after it is sent: 50 ms of margin.
  const drainEnd = termAt + DRAIN_MS - 50
  // Requests sent during the drain are served. A request that reaches a connection at the instant the
  // server closes it (the drain is over: a load balancer has stopped sending by then) may be refused or
  // reset before the server read it; those are counted, not failed.
  const duringDrain = recorder.between(termAt, drainEnd)
  const drain = stats(duringDrain)
  const failed = duringDrain.filter((a) => a.status !== 200)
  const freshDuringDrain = duringDrain.filter((a) => a.kind === 'new-connection GET' && a.status === 200).length
  const atClose = recorder.between(drainEnd)
  const afterRefusal = recorder.answers.filter((a) => refusedAt !== undefined && a.startedAt >= refusedAt)
  t.ok(firstNotReady !== undefined && firstNotReady.at - termAt < 200, `readiness 503 ${String(firstNotReady === undefined ? null : firstNotReady.at - termAt)} ms after SIGTERM`)
  t.equal(failed.length, 0, `every request sent during the drain was served (${drain.count}; failures: ${JSON.stringify(failed.slice(0, 5).map((f) => [f.kind, f.error ?? f.status, f.startedAt - termAt]))})`)
  t.ok(freshDuringDrain > 0, `${freshDuringDrain} requests on new connections served during the drain`)
  t.ok(refusedAt !== undefined && refusedAt - termAt >= DRAIN_MS, `new connections refused only after the drain (${String(refusedAt === undefined ? null : refusedAt - termAt)} ms)`)
  t.ok(afterRefusal.every((a) => a.error === 'ECONNREFUSED' || a.status === 200), 'after that: refused, never reset mid-request')
  t.equal(code, 0, 'exit code 0')
  t.ok(exitedAt - termAt < DRAIN_MS + GRACE_MS, `exited ${exitedAt - termAt} ms after SIGTERM`)
  t.match(service.output(), '"msg":"draining: readiness 503, still serving"')
  report('sigterm-drain', {
    shutdown_drain_ms: DRAIN_MS,
    shutdown_grace_ms: GRACE_MS,
    readiness_503_ms_after_sigterm: firstNotReady === undefined ? null : firstNotReady.at - termAt,
    served_during_drain: drain.count,
    served_on_new_connections_during_drain: freshDuringDrain,
    failed_during_drain: failed.length,
    sent_after_drain: stats(atClose).byStatus,
    refusing_ms_after_sigterm: refusedAt === undefined ? null : refusedAt - termAt,
    exit_code: code,
    exited_ms_after_sigterm: exitedAt - termAt
  })
})
