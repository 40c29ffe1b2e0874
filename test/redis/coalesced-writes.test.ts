// Coalesced writes: the commands of one turn of the event loop leave in one socket write, and each is
// answered as if sent alone; commands of later turns are not held back.
import t from 'tap'
import type { Socket } from 'node:net'
import { Redis } from 'ioredis'
import { createRedisClient } from '../../src/redis/client.js'
import { createKeys } from '../../src/redis/keys.js'
import { RedisStore } from '../../src/redis/store.js'
import { LONG_SCRIPTS } from '../../src/redis/scripts.js'
import { loadConfig } from '../../src/config.js'
import { testRedis } from '../helper.js'

/** Counts the writes that reach the socket's handle (one per syscall: write or writev). */
function countWrites (client: Redis): () => number {
  type Handler = (...args: unknown[]) => unknown
  const socket = (client as unknown as { stream: Socket & { _write: Handler, _writev: Handler } }).stream
  let writes = 0
  const write = socket._write
  const writev = socket._writev
  socket._write = function (...args: unknown[]) { writes++; return write.apply(this, args) }
  socket._writev = function (...args: unknown[]) { writes++; return writev.apply(this, args) }
  return () => writes
}

t.test('100 commands of one turn leave in one write, each with its own answer', async (t) => {
  const { url } = await testRedis()
  const client = createRedisClient(loadConfig({ REDIS_URL: url }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  const writes = countWrites(client)
  const replies = await Promise.all(Array.from({ length: 100 }, async (_, i) => await client.echo(`m${i}`)))
  t.same(replies, Array.from({ length: 100 }, (_, i) => `m${i}`))
  t.equal(writes(), 1, 'one write for the turn')
})

t.test('a command of a later turn is sent in its own turn, not held back', async (t) => {
  const { url } = await testRedis()
  const client = createRedisClient(loadConfig({ REDIS_URL: url }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  const writes = countWrites(client)
  for (let i = 0; i < 5; i++) t.equal(await client.echo(`turn${i}`), `turn${i}`)
  t.equal(writes(), 5, 'one write per turn')
})

t.test('a long script leaves at once with what its turn wrote before it; a short one waits for the turn to end (0723)', async (t) => {
  const { url } = await testRedis()
  const client = createRedisClient(loadConfig({ REDIS_URL: url }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  const store = new RedisStore(client, createKeys({ system: 'sessiond', env: 'test' }))
  const list = async (): Promise<unknown> => await store.scripts.listUserSessions('nobody', { owner: '', after: null, limit: 20, state: '', kind: '', budget: 1000 })
  const read = async (): Promise<unknown> => await store.scripts.readSession('nobody-session', { owner: '', touch: false }).catch((err: Error) => err)
  t.ok(LONG_SCRIPTS.has('listUserSessions'))
  t.notOk(LONG_SCRIPTS.has('readSession'))
  // Both scripts loaded first, so that no NOSCRIPT fallback writes again.
  await list()
  await read()
  for (const [name, script, expected] of [['listUserSessions', list, 2], ['readSession', read, 1]] as const) {
    const writes = countWrites(client)
    const before = writes()
    const replies = await Promise.all([client.echo('a'), client.echo('b'), script(), client.echo('c'), client.echo('d')])
    t.same([replies[0], replies[1], replies[3], replies[4]], ['a', 'b', 'c', 'd'], `${name}: every command answered`)
    t.equal(writes() - before, expected, `${name}: ${expected} write(s) for the turn`)
  }
})

t.test('without coalescing (a plain ioredis client, or REDIS_WRITES=plain) the same 100 commands take many writes', async (t) => {
  // The control: what the socket does without coalescing, so the first test can tell the difference.
  const { url } = await testRedis()
  const clients = [new Redis(url, { lazyConnect: true }), createRedisClient(loadConfig({ REDIS_URL: url, REDIS_WRITES: 'plain' }).redis) as Redis]
  t.teardown(() => { for (const client of clients) client.disconnect() })
  for (const client of clients) {
    await client.connect()
    const writes = countWrites(client)
    await Promise.all(Array.from({ length: 100 }, async (_, i) => await client.echo(`m${i}`)))
    t.ok(writes() > 1, `${writes()} writes`)
  }
})

t.test('REDIS_WRITES=auto-pipeline turns on ioredis auto-pipelining instead', async (t) => {
  const { url } = await testRedis()
  const client = createRedisClient(loadConfig({ REDIS_URL: url, REDIS_WRITES: 'auto-pipeline' }).redis) as Redis
  t.teardown(() => client.disconnect())
  await client.connect()
  t.equal(client.options.enableAutoPipelining, true)
  const replies = await Promise.all(Array.from({ length: 100 }, async (_, i) => await client.echo(`m${i}`)))
  t.equal(replies[99], 'm99')
  t.equal(client.autoPipelineQueueSize, 0, 'every batch answered')
  t.throws(() => loadConfig({ REDIS_WRITES: 'sometimes' }), /REDIS_WRITES/)
})
