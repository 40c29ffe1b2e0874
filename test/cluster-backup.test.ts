// Backup and restore, stats and diagnostics on a real 3-master Redis Cluster: the export walks every
// master, the import writes each session in its own slot, the live counts sum every slot, and the
// diagnostics report every master.
import t from 'tap'
import { PassThrough, Readable } from 'node:stream'
import { Redis } from 'ioredis'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createKeys } from '../src/redis/keys.js'
import { run } from '../src/cli/main.js'
import { json } from './helper.js'
import { startCluster } from './cluster-setup.js'
import { makeFixture, readEverything } from './backup-fixture.js'

async function cli (args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number, stdout: string, stderr: string }> {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: false })
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const code = await run(args, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr: stderr as unknown as NodeJS.WriteStream, env })
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

t.test('on a Cluster: export from every master, erase, import, and every read answers as before', async (t) => {
  const cluster = await startCluster(t)
  t.teardown(cluster.stop)
  const env = { REDIS_CLUSTER_NODES: cluster.ports.map((p) => `127.0.0.1:${p}`).join(','), KEY_ENV: 'tclusterbackup', LOG_LEVEL: 'silent' }
  const config = loadConfig(env)
  const source = await buildApp(config)
  t.teardown(async () => await source.close())
  const nodes = cluster.ports.map((port) => new Redis(port, '127.0.0.1'))
  t.teardown(() => { for (const node of nodes) node.disconnect() })
  const keys = createKeys(config.keys)

  // Five random ids all land on one of three masters about once in 80 runs; that fixture would not
  // show the export walking every master, so it is made again on an empty Cluster until they spread.
  const mastersHolding = async (): Promise<number> => {
    let holding = 0
    for (const node of nodes) if ((await node.keys(keys.sessionHashPattern())).length > 0) holding++
    return holding
  }
  let fixture = await makeFixture(source)
  for (let attempt = 1; attempt < 10 && await mastersHolding() < 2; attempt++) {
    await Promise.all(nodes.map(async (node) => await node.flushall()))
    fixture = await makeFixture(source)
  }
  const before = await readEverything(source, fixture)
  const holding = await mastersHolding()
  t.ok(holding >= 2, `the sessions live on ${holding} masters`)

  const health = json(await source.inject('/v1/admin/health/redis'))
  t.match(health, { mode: 'cluster', pool: { status: 'ready' } })
  t.equal(health.nodes.length, 3, 'one entry per master')
  t.same(health.nodes.map((node: any) => node.cluster_state), ['ok', 'ok', 'ok'])
  t.same(new Set(health.nodes.map((node: any) => node.address)), new Set(cluster.ports.map((p) => `127.0.0.1:${p}`)))
  t.same(health.warnings.map((w: any) => w.code), ['no_persistence', 'no_persistence', 'no_persistence'], 'each master is judged')
  t.equal(health.keyspace.keys, health.nodes.reduce((sum: number, node: any) => sum + node.keyspace.keys, 0))

  const statsResponse = await source.inject('/v1/admin/stats')
  t.equal(statsResponse.statusCode, 200, statsResponse.body)
  const statsBefore = json(statsResponse).live
  t.match(statsBefore, { total: 5, by_kind: { onboarding: 2, narrative: 1, chat: 1, generic: 1 }, by_state: { completed: 1, active: 2, paused: 2 } })

  const exported = await source.inject('/v1/admin/export')
  const lines = exported.body.trim().split('\n').map((line) => JSON.parse(line))
  t.same(lines.at(-1), { end: true, sessions: 5 })
  t.same(lines.slice(1, -1).map((line) => line.session.id).sort(), [...fixture.ids].sort())

  for (const node of nodes) await node.flushall()
  const target = await buildApp(config)
  t.teardown(async () => await target.close())
  const imported = await target.inject({ method: 'POST', url: '/v1/admin/import', payload: exported.body, headers: { 'content-type': 'application/x-ndjson' } })
  t.same(json(imported), { imported: 5, skipped: 0, failed: 0, complete: true, errors: [] })
  t.same(await readEverything(target, fixture), before, 'every read route answers as before')
  t.same(json(await target.inject('/v1/admin/stats')).live, { ...statsBefore, as_of: json(await target.inject('/v1/admin/stats')).live.as_of }, 'the live counts are rebuilt in every slot')
  for (const node of nodes) {
    for (const key of await node.keys(keys.everything())) t.ok(await node.pttl(key) > 0, `${key} has a TTL`)
  }

  // The command line walks the same masters.
  const again = await cli(['import', '-'], env, exported.body)
  t.equal(again.code, 0)
  t.same(JSON.parse(again.stdout), { imported: 0, skipped: 5, failed: 0, complete: true, errors: [] }, 'a second import changes nothing')
  const fromCli = await cli(['export'], env)
  t.equal(fromCli.code, 0)
  t.same(JSON.parse(fromCli.stdout.trim().split('\n').at(-1)!), { end: true, sessions: 5 })
  const doctor = await cli(['doctor'], env)
  t.equal(doctor.code, 1)
  t.match(doctor.stdout, /\(cluster, 3 masters\)[\s\S]*cluster_state ok[\s\S]*3 warnings:/)
})
