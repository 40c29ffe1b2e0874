// Every resource works on a real 3-master Redis Cluster on loopback: keys of one session share a slot,
// no operation is cross-slot, and every key still has a TTL.
import t from 'tap'
import { Redis } from 'ioredis'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createKeys } from '../src/redis/keys.js'
import { json } from './helper.js'
import { startCluster } from './cluster-setup.js'

t.test('the whole API works on a Redis Cluster, one slot per session', async (t) => {
  const cluster = await startCluster(t)
  t.teardown(cluster.stop)
  const config = loadConfig({ REDIS_CLUSTER_NODES: cluster.ports.map((p) => `127.0.0.1:${p}`).join(','), KEY_ENV: 'tcluster', LOG_LEVEL: 'silent' })
  const app = await buildApp(config)
  t.teardown(async () => await app.close())
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, key?: string) =>
    await app.inject({ method, url, ...(payload === undefined ? {} : { payload }), headers: key === undefined ? {} : { 'idempotency-key': key } })

  const health = json(await call('GET', '/health'))
  t.match(health, { status: 'ok', redis: { mode: 'cluster', status: 'up' } })

  const ids: string[] = []
  for (let i = 0; i < 4; i++) {
    const created = await call('POST', '/v1/sessions', { user_id: 'cluster-user', kind: 'onboarding', total_steps: 2 }, `create-${i}`)
    t.equal(created.statusCode, 201)
    ids.push(json(created).id)
  }
  const id = ids[0]!
  const steps = [
    await call('PATCH', `/v1/sessions/${id}`, { metadata: { a: 1 } }),
    await call('PUT', `/v1/sessions/${id}/steps/1`, { name: 'Ada' }),
    await call('PUT', `/v1/sessions/${id}/steps/2`, { plan: 'pro' }),
    await call('PUT', `/v1/sessions/${id}/narrative/world_state`, { data: { weather: 'rain' } }),
    await call('POST', `/v1/sessions/${id}/scenes`, { scene_id: 's1' }, 'scene-1'),
    await call('POST', `/v1/sessions/${id}/choices`, { scene_id: 's1', choice_id: 'c1' }, 'choice-1'),
    await call('POST', `/v1/sessions/${id}/messages`, { role: 'user', content: 'hello' }, 'message-1'),
    await call('POST', '/v1/users/cluster-user/progress', { metrics: { calm: 3 } }, 'progress-1'),
    await call('GET', `/v1/sessions/${id}/summary`),
    await call('GET', '/v1/users/cluster-user/sessions?limit=2'),
    await call('GET', `/v1/sessions/${id}/messages`),
    await call('POST', `/v1/sessions/${id}/finalize`, {}),
    await call('GET', '/v1/admin/finalized'),
    await call('GET', `/v1/admin/audit?date=${new Date().toISOString().slice(0, 10)}`)
  ]
  for (const response of steps) t.ok(response.statusCode < 300, `${response.statusCode} ${response.body.slice(0, 120)}`)
  t.match(json(steps[8]!), { counts: { scenes: 1, choices: 1, messages: 1 }, progress: { completed: 2 } })

  // All keys of one session live on one node, in one slot; every key has a TTL.
  const keys = createKeys(config.keys)
  const nodes = cluster.ports.map((port) => new Redis(port, '127.0.0.1', { lazyConnect: false }))
  t.teardown(() => { for (const node of nodes) node.disconnect() })
  const all: Array<{ key: string, node: number }> = []
  for (const [index, node] of nodes.entries()) {
    for (const key of await node.keys(keys.everything())) {
      all.push({ key, node: index })
      t.ok(await node.pttl(key) > 0, `${key} has a TTL`)
    }
  }
  const sessionNodes = new Set(all.filter((k) => k.key.includes(`{${id}}`)).map((k) => k.node))
  t.equal(sessionNodes.size, 1, 'one node holds every key of the session')
  const slots = new Set(await Promise.all(all.filter((k) => k.key.includes(`{${id}}`)).map(async (k) => await nodes[0]!.cluster('KEYSLOT', k.key))))
  t.equal(slots.size, 1, 'one slot')

  const erased = await call('DELETE', '/v1/users/cluster-user/sessions')
  t.same(json(erased), { deleted: 4 })
  const left = (await Promise.all(nodes.map(async (node) => await node.keys(keys.everything())))).flat()
  t.notOk(left.some((key) => ids.some((sid) => key.includes(`{${sid}}`)) || key.includes(keys.userHash('cluster-user'))), 'erasure leaves no key of the user')
})
