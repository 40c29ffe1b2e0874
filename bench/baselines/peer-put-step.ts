// Baseline (e): the hand-written peer of PUT /v1/sessions/{id}/steps/{n}, as a careful team would
// write it: @fastify/jwt (HS256, defaults) verifies the same user token, a JSON schema validates the
// body, and one Lua script checks the owner, stores the step, bumps the version and slides the expiry
// of both keys, atomically in one round trip.
import fastifyJwt from '@fastify/jwt'
import { baselineApp, baselineEnv, baselineKeys, baselineRedis, listen } from './common.js'

const env = baselineEnv()
const app = baselineApp(env)
const redis = baselineRedis(env)
await app.register(fastifyJwt, { secret: env.jwtSecret })

// KEYS: 1 session hash, 2 steps hash. ARGV: 1 owner, 2 step number, 3 stored step JSON.
// Returns the new version, or -1 when the session is missing or not the owner's.
redis.defineCommand('saveStep', {
  numberOfKeys: 2,
  lua: `local owner = redis.call('HGET', KEYS[1], 'user_id')
if owner ~= ARGV[1] then return -1 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local ttl = tonumber(redis.call('HGET', KEYS[1], 'ttl_seconds')) * 1000
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return version`
})
const scripts = redis as unknown as { saveStep: (session: string, steps: string, owner: string, n: number, stored: string) => Promise<number> }

app.addHook('onRequest', async (request, reply) => {
  try {
    await request.jwtVerify()
  } catch {
    return await reply.code(401).send({ code: 'unauthorized' })
  }
})

app.put<{ Params: { id: string, n: number }, Body: Record<string, unknown> }>('/sessions/:id/steps/:n', {
  bodyLimit: 65_536,
  schema: {
    params: {
      type: 'object',
      properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' }, n: { type: 'integer', minimum: 1, maximum: 100 } },
      required: ['id', 'n']
    },
    body: { type: 'object' },
    response: {
      200: {
        type: 'object',
        properties: { step: { type: 'integer' }, data: { type: 'object', additionalProperties: true }, saved_at: { type: 'string' }, version: { type: 'integer' } }
      }
    }
  }
}, async (request, reply) => {
  const { id, n } = request.params
  const savedAt = new Date().toISOString()
  const stored = JSON.stringify({ data: request.body, saved_at: savedAt })
  const version = await scripts.saveStep(baselineKeys.session(id), baselineKeys.steps(id), (request.user as { sub: string }).sub, n, stored)
  if (version < 0) return await reply.code(404).send({ code: 'session_not_found' })
  reply.header('etag', `"${version}"`)
  return { step: n, data: request.body, saved_at: savedAt, version }
})
await listen(app, env, redis)
