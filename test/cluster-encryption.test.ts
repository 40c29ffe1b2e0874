// Encryption at rest on a real 3-master Redis Cluster (contract §13): rotate-keys walks every master, and
// afterwards no master holds a value under the old key id while every read answers as before with the
// old key removed from ENCRYPTION_KEYS.
import t from 'tap'
import { PassThrough, Readable } from 'node:stream'
import { Redis } from 'ioredis'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createKeys } from '../src/redis/keys.js'
import { run } from '../src/cli/main.js'
import { startCluster } from './cluster-setup.js'
import { makeFixture, readEverything } from './backup-fixture.js'
import { SECRET, everythingStored, fillSession } from './encryption-fixture.js'

const OLD = `k0:${Buffer.alloc(32, 2).toString('base64')}`
const NEW = `k1:${Buffer.alloc(32, 1).toString('base64')}`

t.test('on a Cluster: rotate-keys seals every master\'s values under the new key; the old key can go', async (t) => {
  const cluster = await startCluster(t)
  t.teardown(cluster.stop)
  const env = { REDIS_CLUSTER_NODES: cluster.ports.map((p) => `127.0.0.1:${p}`).join(','), KEY_ENV: 'tclusterenc', LOG_LEVEL: 'silent' }
  const nodes = cluster.ports.map((port) => new Redis(port, '127.0.0.1'))
  t.teardown(() => { for (const node of nodes) node.disconnect() })
  const keys = createKeys(loadConfig(env).keys)

  const old = await buildApp(loadConfig({ ...env, ENCRYPTION_KEYS: OLD }))
  t.teardown(async () => await old.close())
  const fixture = await makeFixture(old)
  for (let i = 0; i < 6; i++) await fillSession(old, i % 2 === 0, `cluster-user-${i}`)
  const stored = async (): Promise<string[]> => await Promise.all(nodes.map(async (node) => await everythingStored(node, await node.keys(keys.everything()))))
  const before = await stored()
  t.ok(before.filter((text) => text.includes('\u0001v1.k0.')).length >= 2, 'sealed values live on several masters')
  const reads = await readEverything(old, fixture)

  const stdout = new PassThrough()
  const out: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  const stderr = Object.assign(new PassThrough(), { isTTY: false })
  const code = await run(['rotate-keys'], { stdin: Readable.from([]), stdout, stderr: stderr as unknown as NodeJS.WriteStream, env: { ...env, ENCRYPTION_KEYS: `${NEW},${OLD}` } })
  t.equal(code, 0)
  const report = JSON.parse(Buffer.concat(out).toString())
  t.match(report, { key_id: 'k1', sessions: { examined: 11, rewritten: 11, gone: 0 } })

  for (const [i, text] of (await stored()).entries()) {
    t.notOk(text.includes('\u0001v1.k0.'), `master ${i} holds no value under the old key id`)
    t.notOk(text.includes(SECRET), `master ${i} holds no plaintext content`)
  }
  const rotated = await buildApp(loadConfig({ ...env, ENCRYPTION_KEYS: NEW }))
  t.teardown(async () => await rotated.close())
  t.same(await readEverything(rotated, fixture), reads, 'every read route answers as before, with only the new key')
})
