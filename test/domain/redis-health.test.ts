// The checks of health/redis and doctor on INFO as servers write it: every warning, and the figures.
import t from 'tap'
import { healthReport, histogramQuantile, nodeReport, parseInfo, sampleQuantile, versionBelow, warningsFor } from '../../src/domain/redis-health.js'

const info = (fields: Record<string, string>): string =>
  ['# Server', ...Object.entries({ redis_version: '7.2.4', role: 'master', uptime_in_seconds: '100', used_memory: '1000', maxmemory: '0', maxmemory_policy: 'noeviction', aof_enabled: '1', rdb_last_save_time: '1700000000', connected_clients: '3', db0: 'keys=10,expires=10,avg_ttl=5', ...fields }).map(([k, v]) => `${k}:${v}`)].join('\r\n')

const node = (fields: Record<string, string> = {}, save: string | null = '', clusterState: string | null = null) =>
  nodeReport({ address: '10.0.0.1:6379', info: parseInfo(info(fields)), save, clusterState })

t.test('INFO becomes the figures of the report', async (t) => {
  t.same(node({ db1: 'keys=5,expires=1,avg_ttl=0' }), {
    address: '10.0.0.1:6379',
    version: '7.2.4',
    role: 'master',
    uptime_s: 100,
    memory: { used_bytes: 1000, maxmemory_bytes: 0, policy: 'noeviction' },
    persistence: { aof: true, rdb: false, rdb_last_save_at: '2023-11-14T22:13:20.000Z' },
    keyspace: { keys: 15, expires: 11 },
    clients: 3,
    cluster_state: null
  })
  t.equal(node({ role: 'slave' }).role, 'replica')
  t.equal(node({}, null).persistence.rdb, null, 'CONFIG refused: the RDB schedule is unknown')
  t.equal(node({}, '3600 1 300 100').persistence.rdb, true)
})

t.test('each setting that loses sessions is a warning with what to fix', async (t) => {
  t.same(warningsFor([node()]), [], 'AOF on, noeviction, 7.2, no cluster: nothing')
  for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-ttl']) {
    t.same(warningsFor([node({ maxmemory_policy: policy })]).map((w) => w.code), ['eviction_policy'], policy)
  }
  t.match(warningsFor([node({ maxmemory_policy: 'allkeys-lru', maxmemory: '1000000' })])[0]!.message, /^maxmemory-policy is allkeys-lru: when memory is full/)
  t.same(warningsFor([node({ aof_enabled: '0' })]).map((w) => w.code), ['no_persistence'])
  t.same(warningsFor([node({ aof_enabled: '0' }, '900 1')]), [], 'RDB snapshots are persistence')
  t.same(warningsFor([node({ aof_enabled: '0' }, null)]), [], 'unknown is not reported as off (managed Redis refuses CONFIG)')
  t.same(warningsFor([node({ redis_version: '6.0.16' })]).map((w) => w.code), ['old_version'])
  t.same(warningsFor([node({ redis_version: '6.2.0' })]), [])
  t.same(warningsFor([node({}, '', 'ok'), node({}, '', 'fail')]).map((w) => [w.code, w.node]), [['cluster_state', '10.0.0.1:6379']])
  for (const warning of warningsFor([node({ maxmemory_policy: 'allkeys-lru', aof_enabled: '0', redis_version: '5.0.0' }, '', 'fail')])) {
    t.ok(warning.message.length > 20 && warning.fix.length > 20, `${warning.code} says what is wrong and what to change`)
  }
})

t.test('versions compare by major and minor', async (t) => {
  t.ok(versionBelow('6.0.9', [6, 2]))
  t.ok(versionBelow('5.9.0', [6, 2]))
  t.notOk(versionBelow('6.2.14', [6, 2]))
  t.notOk(versionBelow('10.0.0', [6, 2]))
  t.notOk(versionBelow('unknown', [6, 2]))
})

t.test('the masters of a Cluster sum up; version and uptime are the weakest', async (t) => {
  const a = nodeReport({ address: 'a:1', info: parseInfo(info({ redis_version: '7.2.4', uptime_in_seconds: '50', used_memory: '100' })), save: '', clusterState: 'ok' })
  const b = nodeReport({ address: 'b:1', info: parseInfo(info({ redis_version: '7.0.15', uptime_in_seconds: '80', used_memory: '200' })), save: '', clusterState: 'ok' })
  const report = healthReport({ mode: 'cluster', nodes: [a, b], pool: { status: 'ready', pending_commands: 0 }, latency: { p50: 1, p99: 2, samples: 3, source: 'x' } })
  t.match(report, { version: '7.0.15', uptime_s: 50, memory: { used_bytes: 300 }, keyspace: { keys: 20 }, clients: 6, persistence: { aof: true, rdb: false }, warnings: [] })
})

t.test('quantiles of a cumulative histogram interpolate within the bucket, like histogram_quantile', async (t) => {
  const buckets = [{ le: 0.001, count: 50 }, { le: 0.002, count: 90 }, { le: 0.005, count: 100 }, { le: Number.POSITIVE_INFINITY, count: 100 }]
  t.equal(histogramQuantile(0.5, buckets), 0.001)
  t.equal(histogramQuantile(0.7, buckets), 0.0015)
  t.equal(histogramQuantile(0.99, buckets), 0.0047)
  t.equal(histogramQuantile(0.5, [{ le: 0.001, count: 0 }, { le: Number.POSITIVE_INFINITY, count: 0 }]), null, 'no samples')
  t.equal(histogramQuantile(0.99, [{ le: 0.001, count: 1 }, { le: Number.POSITIVE_INFINITY, count: 10 }]), 0.001, 'beyond the last bucket: its bound')
  t.equal(sampleQuantile(0.5, [3, 1, 2, 4]), 2)
  t.equal(sampleQuantile(0.99, [3, 1, 2, 4]), 4)
  t.equal(sampleQuantile(0.5, []), null)
})
