// Every resource works on a real 3-master Redis Cluster on loopback: keys of one session share a slot,
// no operation is cross-slot, and every key still has a TTL.
import t from 'tap'
import { Cluster, Redis } from 'ioredis'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createKeys } from '../src/redis/keys.js'
import { json, sleep } from './helper.js'
import { openStream } from './sse-client.js'
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

  // A node's connection is made on its first command: make sure every master has one.
  const masters = (app.redis.client as Cluster).nodes('master')
  t.equal(masters.length, 3)
  await Promise.all(masters.map(async (node) => await node.ping()))
  t.ok(masters.every((node) => (node as unknown as { stream?: { write: { name: string } } }).stream?.write.name === 'coalescedWrite'), 'every master connection coalesces its writes')

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

t.test('live events, the expiry sweep and the read cache work on a Redis Cluster (sharded Pub/Sub)', async (t) => {
  const cluster = await startCluster(t)
  t.teardown(cluster.stop)
  const env = {
    REDIS_CLUSTER_NODES: cluster.ports.map((p) => `127.0.0.1:${p}`).join(','), KEY_ENV: 'tclusterlive', LOG_LEVEL: 'silent',
    SESSION_TTL_SECONDS: '2', EXPIRY_SWEEP_INTERVAL_MS: '300', CACHE_MODE: 'lru'
  }
  const one = await buildApp(loadConfig(env))
  const two = await buildApp(loadConfig(env))
  t.teardown(async () => { await one.close(); await two.close() })
  await one.listen({ port: 0, host: '127.0.0.1' })
  const port = (one.server.address() as { port: number }).port

  // Sessions spread over slots on every master; each stream gets its own session's events.
  const sessions = await Promise.all(Array.from({ length: 12 }, async (_, i) => json(await two.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: `u${i % 3}`, ttl_seconds: 600 } }))))
  const streams = await Promise.all(sessions.map(async (s) => await openStream(port, `/v1/sessions/${s.id}/events`)))
  t.teardown(() => { for (const s of streams) s.close() })
  await sleep(200)
  for (const s of sessions) await two.inject({ method: 'PUT', url: `/v1/sessions/${s.id}/steps/1`, payload: { a: 1 } })
  const received = await Promise.all(streams.map(async (s) => await s.waitFor(1, 5000)))
  t.ok(received.every((m, i) => m[0]!.event === 'step.saved' && JSON.parse(m[0]!.data).session_id === sessions[i].id), 'every stream got its own event through sharded Pub/Sub')

  // The read cache of one instance never serves a change made through the other stale.
  const target = sessions[0]
  await one.inject({ url: `/v1/sessions/${target.id}` })
  await two.inject({ method: 'PATCH', url: `/v1/sessions/${target.id}`, payload: { metadata: { changed: true } } })
  let seen = 0
  for (let i = 0; i < 200 && seen !== 3; i++) { seen = json(await one.inject({ url: `/v1/sessions/${target.id}` })).version; await sleep(5) }
  t.equal(seen, 3, 'the change is seen through the other instance\'s cache')

  // Expiry: swept by the instances, announced once, gone from the user's index.
  const fleeting = json(await two.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'leaving' } }))
  const watch = await openStream(port, `/v1/sessions/${fleeting.id}/events`)
  t.teardown(watch.close)
  // A first pass over the 16 384 slot indexes of a Cluster takes about a second on an idle machine.
  const [expired] = await watch.waitFor(1, 20_000)
  t.match(expired, { event: 'session.expired', id: '2' })
  await sleep(300)
  t.same(json(await one.inject({ url: '/v1/users/leaving/sessions' })).sessions, [])
  const keys = createKeys(loadConfig(env).keys)
  const nodes = cluster.ports.map((p) => new Redis(p, '127.0.0.1'))
  t.teardown(() => { for (const node of nodes) node.disconnect() })
  const left = (await Promise.all(nodes.map(async (node) => await node.keys(`*{${fleeting.id}}*`)))).flat()
  t.same(left, [], 'the sweep removed every key of the expired session')
  const client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })))
  t.teardown(() => client.disconnect())
  t.equal(await client.zcard(keys.userSessions('leaving')), 0, 'the user index no longer lists it')
})
