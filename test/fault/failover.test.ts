// Failovers under a write stream, against the real sessiond process: a 3-master + 3-replica Redis
// Cluster whose master is killed, and a Sentinel-managed primary that is killed. The service must
// recover without a restart, answer every request within the bound, and lose no more acknowledged
// writes than Redis' asynchronous replication allows (the figures say how many it did lose).
import t from 'tap'
import clusterKeySlot from 'cluster-key-slot'
import { sleep } from '../helper.js'
import {
  BOUND_MS, Recorder, audit, createSessions, keepAlive, loop, messageWriter, outage, report, startCluster, startSentinels,
  serverTimes, startService, stats, type Acked, type Refused
} from './harness.js'

const WRITE_BEFORE_MS = 3000
const WRITE_AFTER_MS = 10_000


/** The figures both failover scenarios report, from what they measured. */
function failoverFigures ({ result, all, afterKill, lagMs, killedAt }: {
  result: Awaited<ReturnType<typeof audit>>, all: ReturnType<typeof stats>, afterKill: ReturnType<typeof stats>, lagMs: number, killedAt: number
}): Record<string, unknown> {
  return {
      acknowledged: result.acknowledged,
      acknowledged_lost: result.lost.length,
      acknowledged_lost_within_ms_before_kill: result.lost.length === 0 ? null : Math.max(...result.lost.map((l) => killedAt - l.at)),
      seq_gaps: result.gaps,
      duplicates: result.duplicates,
      answers: all.count,
      answers_after_kill: afterKill.byStatus,
      max_ms: all.max,
      server_max_ms: all.serverMax,
      event_loop_lag_max_ms: lagMs,
      p99_ms: all.p99,
      answers_over_bound: all.overBound,
      server_answers_over_bound: all.serverOverBound,
  }
}

t.test('a Redis Cluster master killed under writes: its replica takes over and sessiond follows without a restart', async (t) => {
  const cluster = await startCluster(t, 3, 1)
  const service = await startService(t, { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(',') })
  const sessions = await createSessions(service.port, 24)
  const masters = await cluster.masters()
  const victim = masters[0]!
  const onVictim = new Set(sessions.filter((id) => {
    const slot = clusterKeySlot(`{${id}}`)
    return victim.slots.some(([from, to]) => slot >= from && slot <= to)
  }))
  t.ok(onVictim.size > 0, `${onVictim.size} of ${sessions.length} sessions live on the master to be killed`)

  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const acked: Acked[] = []
  const unknown = new Set<string>()
  const refused: Refused[] = []
  let next = 0
  const writers = loop(12, messageWriter(service.port, recorder, agent, () => sessions[next++ % sessions.length]!, acked, unknown, 'cluster', refused))
  await sleep(WRITE_BEFORE_MS)
  const node = cluster.nodes.find((n) => n.port === victim.port)!
  await service.metric('nodejs_eventloop_lag_max_seconds') // reading it starts a new measurement
  const killedAt = Date.now()
  process.kill(node.pid, 'SIGKILL')
  await sleep(WRITE_AFTER_MS)
  await writers.stop()
  const lagMs = Math.round(((await service.metric('nodejs_eventloop_lag_max_seconds')) ?? 0) * 1000)
  const after = await cluster.masters()
  const result = await audit(service.port, sessions, acked)
  serverTimes(recorder.answers, service.output())
  const all = stats(recorder.answers)
  const afterKill = stats(recorder.between(killedAt, killedAt + WRITE_AFTER_MS))
  const window = outage(acked, refused, onVictim, killedAt)
  const others = outage(acked, refused, new Set(sessions.filter((id) => !onVictim.has(id))), killedAt)
  t.notOk(after.some((m) => m.port === victim.port), 'the killed master no longer serves slots')
  t.ok(window.recovered_ms !== null, `writes to the failed shard succeed again (${String(window.recovered_ms)} ms after the kill)`)
  t.equal(all.serverOverBound, 0, `every answer within ${BOUND_MS} ms by the server's clock (max ${all.serverMax} ms)`)
  t.ok(all.max <= 2 * BOUND_MS, `and by the client's, which a busy machine delays (max ${all.max} ms)`)
  t.equal(result.gaps, 0, 'seqs are contiguous (a lost write leaves no hole: the next one takes its seq)')
  t.equal(result.duplicates, 0, 'no message stored twice')
  t.equal(unknown.size, 0, 'every write landed in the end')
  t.ok(service.alive(), 'sessiond was not restarted')
  report('cluster-failover', {
    masters: 3,
    replicas_per_master: 1,
    cluster_node_timeout_ms: 1000,
    sessions_on_failed_master: onVictim.size,
    ...failoverFigures({ result, all, afterKill, lagMs, killedAt }),
    failed_shard: window,
    other_shards: others
  })
})

t.test('a Sentinel-managed primary killed under writes: Sentinel promotes the replica and sessiond follows without a restart', async (t) => {
  const sentinels = await startSentinels(t, 1)
  const service = await startService(t, {
    REDIS_SENTINELS: sentinels.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','), REDIS_SENTINEL_NAME: sentinels.name
  })
  const sessions = await createSessions(service.port, 8)
  const recorder = new Recorder()
  const agent = keepAlive()
  t.teardown(() => agent.destroy())
  const acked: Acked[] = []
  const unknown = new Set<string>()
  const refused: Refused[] = []
  let next = 0
  const writers = loop(8, messageWriter(service.port, recorder, agent, () => sessions[next++ % sessions.length]!, acked, unknown, 'sentinel', refused))
  await sleep(WRITE_BEFORE_MS)
  await service.metric('nodejs_eventloop_lag_max_seconds') // reading it starts a new measurement
  const killedAt = Date.now()
  process.kill(sentinels.primary.pid, 'SIGKILL')
  await sleep(WRITE_AFTER_MS)
  await writers.stop()
  const lagMs = Math.round(((await service.metric('nodejs_eventloop_lag_max_seconds')) ?? 0) * 1000)
  const promoted = await sentinels.primaryPort()
  if (!service.alive()) throw new Error(`sessiond exited:\n${service.output().slice(-4000)}`)
  const result = await audit(service.port, sessions, acked)
  serverTimes(recorder.answers, service.output())
  const all = stats(recorder.answers)
  const afterKill = stats(recorder.between(killedAt, killedAt + WRITE_AFTER_MS))
  const window = outage(acked, refused, new Set(sessions), killedAt)
  t.equal(promoted, sentinels.replicas[0]!.port, 'Sentinel promoted the replica')
  t.ok(window.recovered_ms !== null, `writes succeed again (${String(window.recovered_ms)} ms after the kill)`)
  t.equal(all.serverOverBound, 0, `every answer within ${BOUND_MS} ms by the server's clock (max ${all.serverMax} ms)`)
  t.ok(all.max <= 2 * BOUND_MS, `and by the client's, which a busy machine delays (max ${all.max} ms)`)
  t.equal(result.gaps, 0, 'seqs are contiguous')
  t.equal(result.duplicates, 0, 'no message stored twice')
  t.equal(unknown.size, 0, 'every write landed in the end')
  t.ok(service.alive(), 'sessiond was not restarted')
  report('sentinel-failover', {
    sentinels: 3,
    quorum: 2,
    down_after_ms: 1000,
    ...failoverFigures({ result, all, afterKill, lagMs, killedAt }),
    writes: window
  })
})
