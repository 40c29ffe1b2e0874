// How a script call leaves (src/redis/script-call.ts, decision 0728): EVAL with the Lua the first time on
// a connection, EVALSHA after, and the Lua again after Redis forgot it (NOSCRIPT); arguments as strings,
// replies as strings, whatever the caller passed.
import t from 'tap'
import { Redis } from 'ioredis'
import { createRedisClient } from '../../src/redis/client.js'
import { createKeys } from '../../src/redis/keys.js'
import { RedisStore } from '../../src/redis/store.js'
import { LoadedScript } from '../../src/redis/script-call.js'
import { loadConfig } from '../../src/config.js'
import { testRedis, type Tap } from '../helper.js'

/** calls and failed calls of EVAL and EVALSHA since the last CONFIG RESETSTAT. */
async function scriptStats (admin: Redis): Promise<Record<'eval' | 'evalsha', { calls: number, failed: number }>> {
  const info = await admin.info('commandstats')
  const of = (name: string): { calls: number, failed: number } => {
    const line = new RegExp(`^cmdstat_${name}:calls=(\\d+),.*failed_calls=(\\d+)`, 'm').exec(info)
    return { calls: Number(line?.[1] ?? 0), failed: Number(line?.[2] ?? 0) }
  }
  return { eval: of('eval'), evalsha: of('evalsha') }
}

async function connected (url: string, t: Tap): Promise<Redis> {
  const client = createRedisClient(loadConfig({ REDIS_URL: url }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  return client
}

t.test('the Lua goes once per connection, then the digest; after SCRIPT FLUSH the Lua goes again and the call still answers', async (t) => {
  const { url } = await testRedis()
  const admin = new Redis(url)
  t.teardown(() => admin.disconnect())
  const store = new RedisStore(await connected(url, t), createKeys({ system: 'sessiond', env: 'test' }))
  const read = async (): Promise<unknown> => await store.scripts.readSession('nobody-session', { owner: '', touch: false }).catch((err: Error) => err)

  await admin.config('RESETSTAT')
  const first = await read()
  t.match(first, { code: 'session_not_found' }, 'the script ran and answered')
  await read()
  await read()
  t.same(await scriptStats(admin), { eval: { calls: 1, failed: 0 }, evalsha: { calls: 2, failed: 0 } }, 'EVAL once, then EVALSHA')

  await admin.script('FLUSH')
  await admin.config('RESETSTAT')
  t.same(await read(), first, 'answered after Redis forgot the script')
  t.same(await scriptStats(admin), { eval: { calls: 1, failed: 0 }, evalsha: { calls: 1, failed: 1 } }, 'NOSCRIPT, then the Lua again')
  await read()
  t.same((await scriptStats(admin)).evalsha, { calls: 2, failed: 1 }, 'and the digest after that')

  // A second connection has not been sent the Lua: its first call carries it, though Redis has it.
  const other = new RedisStore(await connected(url, t), createKeys({ system: 'sessiond', env: 'test' }))
  await admin.config('RESETSTAT')
  await other.scripts.readSession('nobody-session', { owner: '', touch: false }).catch(() => {})
  t.same((await scriptStats(admin)).eval, { calls: 1, failed: 0 }, 'EVAL on the new connection')
})

t.test('keys and arguments arrive as the strings ioredis would send; the reply is decoded as text', async (t) => {
  const { url } = await testRedis()
  const client = await connected(url, t)
  const echo = new LoadedScript("return { #KEYS, KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], type(ARGV[2]) }", undefined)
  t.same(await echo.call(client, ['sessiond:test:a', 'sessiond:test:b'], ['text', 42, -1.5]), [2, 'sessiond:test:a', 'sessiond:test:b', 'text', '42', '-1.5', 'string'])
  const fixed = new LoadedScript('return { #KEYS, ARGV[1] }', 1)
  t.same(await fixed.call(client, ['sessiond:test:a'], ['x']), [1, 'x'], 'a script of a fixed key count')
  const failing = new LoadedScript("return redis.error_reply('E_TEST something')", undefined)
  await t.rejects(failing.call(client, [], []), /E_TEST something/, 'an error reply rejects')
})

t.test('with REDIS_WRITES=auto-pipeline a script call joins ioredis\' batching instead (its own command methods)', async (t) => {
  const { url } = await testRedis()
  const client = createRedisClient(loadConfig({ REDIS_URL: url, REDIS_WRITES: 'auto-pipeline' }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  const store = new RedisStore(client, createKeys({ system: 'sessiond', env: 'test' }))
  const reads = [1, 2].map(async () => await store.scripts.readSession('nobody-session', { owner: '', touch: false }).catch((err: Error) => err))
  t.equal(client.autoPipelineQueueSize, 2, 'both calls wait in the auto-pipeline')
  for (const read of await Promise.all(reads)) t.match(read, { code: 'session_not_found' })
  t.equal(client.autoPipelineQueueSize, 0, 'and were answered')
})
