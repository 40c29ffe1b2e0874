// sessiond's client CPU per script call, sent as a LoadedScript (src/redis/script-call.ts, decision 0728)
// against ioredis' own path (defineCommand → Script#execute), on one coalescing client (REDIS_WRITES
// default) to a private redis-server: 50 calls in flight, the two paths in alternating rounds (this
// machine's speed drifts within seconds). A trivial script with a session script's 3 keys and 20
// arguments, so that what differs is the client's work.
//   npx tsx bench/script-call-ab.ts [--rounds 6] [--calls 100000]
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { Workspace } from './lib/workspace.js'
import { startRedis } from './lib/redis-server.js'
import { median } from './lib/stats.js'
import { LoadedScript } from '../src/redis/script-call.js'
import { coalesceWrites } from '../src/redis/coalesced-writes.js'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' }, calls: { type: 'string', default: '100000' } } })
const rounds = Number(values.rounds)
const calls = Number(values.calls)
const LUA = 'return { KEYS[1], ARGV[1], #ARGV }'
const keys = ['sessiond:bench:{abc}:session', 'sessiond:bench:{abc}:expiry', 'sessiond:bench:{abc}:live']
const args = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? i : `value-${i}`))

/** Client CPU (user + system) per call, µs, with 50 calls in flight. */
async function cpuPerCall (call: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage()
  let left = calls
  await Promise.all(Array.from({ length: 50 }, async () => { while (left-- > 0) await call() }))
  const used = process.cpuUsage(before)
  return (used.user + used.system) / calls
}

const ws = new Workspace()
try {
  const redis = await startRedis(ws.dir)
  ws.add(redis.stop)
  const client = new Redis(redis.url, { lazyConnect: true })
  coalesceWrites(client)
  await client.connect()
  ws.add(async () => { client.disconnect() })
  client.defineCommand('probe', { lua: LUA })
  const loaded = new LoadedScript(LUA, undefined)
  const paths = {
    ioredis: async () => await (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>).probe!(keys.length, ...keys, ...args),
    loaded: async () => await loaded.call(client, keys, args)
  }
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['ioredis', 'loaded'] as const) : (['loaded', 'ioredis'] as const)
    const spent: Record<string, number> = {}
    for (const name of order) spent[name] = await cpuPerCall(paths[name])
    ratios.push(spent.loaded! / spent.ioredis!)
    console.log(`round ${round + 1}: ioredis ${spent.ioredis!.toFixed(2)} µs per call, LoadedScript ${spent.loaded!.toFixed(2)} µs, ratio ${ratios.at(-1)!.toFixed(3)}`)
  }
  console.log(`median ratio (LoadedScript ÷ ioredis): ${(median(ratios) ?? NaN).toFixed(3)}`)
} finally {
  await ws.close()
}
