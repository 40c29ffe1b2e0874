// Baseline (c): Fastify + one small Lua write (EVALSHA through defineCommand) on a per-slot key,
// with a small JSON body parsed. The ceiling of a write.
import { baselineApp, baselineEnv, baselineKeys, baselineRedis, listen } from './common.js'

const env = baselineEnv()
const app = baselineApp(env)
const redis = baselineRedis(env)
redis.defineCommand('benchWrite', {
  numberOfKeys: 1,
  lua: `local n = redis.call('HINCRBY', KEYS[1], 'n', tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n`
})
const write = redis as unknown as { benchWrite: (key: string, by: number, ttlMs: number) => Promise<number> }

app.post<{ Params: { slot: string }, Body: { v: number } }>('/write/:slot', {
  schema: {
    params: { type: 'object', properties: { slot: { type: 'string', maxLength: 64 } }, required: ['slot'] },
    body: { type: 'object', properties: { v: { type: 'integer' } }, required: ['v'], additionalProperties: false }
  }
}, async (request) => ({ n: await write.benchWrite(baselineKeys.counter(request.params.slot), request.body.v, 3_600_000) }))
await listen(app, env, redis)
