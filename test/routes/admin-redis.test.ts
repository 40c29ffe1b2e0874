// GET /v1/admin/health/redis and `npx sessiond doctor` (contract §9) on real redis-servers started with
// the settings they judge: the warnings name what loses sessions, and the embedded default (AOF on) has none.
import t from 'tap'
import { PassThrough } from 'node:stream'
import { adminKey, authEnv, bearer, buildTestApp, createSession, json, privateRedis, serviceKey, type Tap } from '../helper.js'
import { run } from '../../src/cli/main.js'

/** Runs the command line in this process against `url`; stdout and stderr as text. */
async function cli (args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  ;(stderr as unknown as PassThrough).on('data', (chunk: Buffer) => err.push(chunk))
  const code = await run(args, { stdin: new PassThrough(), stdout, stderr, env })
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

async function appOn (t: Tap, url: string) {
  return await buildTestApp(t, { REDIS_URL: url })
}

t.test('the report names the server, memory, persistence, keyspace, connection and latency', async (t) => {
  const { app } = await buildTestApp(t)
  await createSession(app)
  const response = await app.inject('/v1/admin/health/redis')
  t.equal(response.statusCode, 200)
  const report = json(response)
  t.match(report, {
    mode: 'standalone',
    version: /^\d+\.\d+\.\d+/,
    role: 'master',
    uptime_s: Number,
    memory: { used_bytes: Number, maxmemory_bytes: 0, policy: 'noeviction' },
    persistence: { aof: false, rdb: false },
    keyspace: { keys: Number, expires: Number },
    clients: Number,
    pool: { status: 'ready', pending_commands: Number },
    command_latency_ms: { p50: Number, p99: Number, source: /sessiond_redis_command_duration_seconds/ }
  })
  t.ok(report.keyspace.keys > 0 && report.keyspace.keys === report.keyspace.expires, 'every key has a TTL')
  t.ok(report.command_latency_ms.samples > 0 && report.command_latency_ms.p50 <= report.command_latency_ms.p99)
  t.equal(report.nodes.length, 1)
  t.match(report.nodes[0], { address: /^127\.0\.0\.1:\d+$/, cluster_state: null, version: report.version })
  t.same(report.warnings.map((w: any) => w.code), ['no_persistence'], 'the test server keeps nothing on disk')
})

t.test('allkeys-lru and no persistence are flagged, by the route and by doctor (exit 1)', async (t) => {
  const redis = await privateRedis(t, { extraArgs: ['--maxmemory-policy', 'allkeys-lru'] })
  const { app } = await appOn(t, redis.server.url)
  const report = json(await app.inject('/v1/admin/health/redis'))
  t.same(report.warnings.map((w: any) => w.code), ['eviction_policy', 'no_persistence'])
  t.match(report.warnings[0], { node: `127.0.0.1:${redis.server.port}`, message: /allkeys-lru/, fix: /noeviction/ })

  const doctor = await cli(['doctor'], { REDIS_URL: redis.server.url })
  t.equal(doctor.code, 1, 'doctor exits 1 while a warning stands')
  t.match(doctor.stdout, /2 warnings:/)
  t.match(doctor.stdout, /\[eviction_policy\].*allkeys-lru[\s\S]*fix: CONFIG SET maxmemory-policy noeviction/)
  t.match(doctor.stdout, /\[no_persistence\][\s\S]*fix: CONFIG SET appendonly yes/)
  t.match(doctor.stdout, /latency: p50 [\d.]+ ms, p99 [\d.]+ ms \(50 PINGs from this command\)/)
  t.equal(doctor.stderr, '')

  const asJson = await cli(['doctor', '--json'], { REDIS_URL: redis.server.url })
  t.equal(asJson.code, 1)
  t.same(JSON.parse(asJson.stdout).warnings.map((w: any) => w.code), ['eviction_policy', 'no_persistence'])

  // Fixing it at runtime clears the warnings.
  await app.redis.client.config('SET', 'maxmemory-policy', 'noeviction')
  await app.redis.client.config('SET', 'appendonly', 'yes')
  const fixed = await cli(['doctor'], { REDIS_URL: redis.server.url })
  t.equal(fixed.code, 0)
  t.match(fixed.stdout, /No warnings/)
})

t.test('the embedded default (AOF on, noeviction) is quiet', async (t) => {
  const redis = await privateRedis(t, { appendOnly: true })
  const { app } = await appOn(t, redis.server.url)
  const report = json(await app.inject('/v1/admin/health/redis'))
  t.same(report.warnings, [])
  t.match(report.persistence, { aof: true })
  const doctor = await cli(['doctor'], { REDIS_URL: redis.server.url })
  t.equal(doctor.code, 0)
  t.match(doctor.stdout, /AOF on[\s\S]*No warnings: nothing here loses sessions\./)
})

t.test('only admin keys read the diagnostics', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  t.equal((await app.inject({ url: '/v1/admin/health/redis', headers: bearer(serviceKey) })).statusCode, 403)
  t.equal((await app.inject({ url: '/v1/admin/health/redis', headers: bearer(adminKey) })).statusCode, 200)
})
