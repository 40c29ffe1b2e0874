// The service finds its primary through Redis Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME).
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { Redis } from 'ioredis'
import { freePort, json, privateRedis, sleep, tempDir } from './helper.js'

t.test('sessions work through a Sentinel-discovered primary', async (t) => {
  const primary = await privateRedis(t)
  const sentinelPort = await freePort()
  const dir = tempDir(t, 'sentinel')
  const conf = join(dir, 'sentinel.conf')
  writeFileSync(conf, [
    `port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor sessiond-primary 127.0.0.1 ${primary.server.port} 1`,
    'sentinel down-after-milliseconds sessiond-primary 5000'
  ].join('\n') + '\n')
  const sentinel: ChildProcess = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' })
  t.teardown(() => { sentinel.kill('SIGKILL') })

  const config = loadConfig({
    REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'sessiond-primary', KEY_ENV: 'tsentinel', LOG_LEVEL: 'silent'
  })
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  for (let attempt = 0; attempt < 50 && app === undefined; attempt++) {
    app = await buildApp(config).catch(async () => { await sleep(100); return undefined })
  }
  if (app === undefined) throw new Error('no app on the Sentinel topology')
  const ready = app
  t.teardown(async () => await ready.close())

  t.match(json(await ready.inject({ method: 'GET', url: '/health' })), { status: 'ok', redis: { mode: 'sentinel', status: 'up' } })
  const created = await ready.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'sentinel-user' } })
  t.equal(created.statusCode, 201)
  const read = await ready.inject({ method: 'GET', url: `/v1/sessions/${json(created).id}` })
  t.equal(read.statusCode, 200)
  t.equal(json(read).user_id, 'sentinel-user')
  const direct = new Redis(primary.server.url)
  t.teardown(() => direct.disconnect())
  t.ok((await direct.keys('*:tsentinel:*')).length > 0, 'the data is on the primary Sentinel named')

  // The diagnostics describe the primary Sentinel found.
  const health = json(await ready.inject({ method: 'GET', url: '/v1/admin/health/redis' }))
  t.match(health, { mode: 'sentinel', role: 'master', pool: { status: 'ready' } })
  t.same(health.nodes.map((node: any) => node.address), [`127.0.0.1:${primary.server.port}`])
  t.same(health.warnings.map((warning: any) => warning.code), ['no_persistence'])
})
