// Baseline (d): the hand-written peer of GET /v1/sessions/{id}, as a careful team would write it:
// @fastify/jwt (HS256, defaults) verifies the same user token, HGETALL reads the session hash, the
// token's sub must own it (else 404, like sessiond), PEXPIRE slides the expiry, and a response schema
// serializes the reply.
import fastifyJwt from '@fastify/jwt'
import { baselineApp, baselineEnv, baselineKeys, baselineRedis, listen } from './common.js'

const env = baselineEnv()
const app = baselineApp(env)
const redis = baselineRedis(env)
await app.register(fastifyJwt, { secret: env.jwtSecret })

const nullableString = { type: ['string', 'null'] }
const sessionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    user_id: { type: 'string' },
    workspace_id: nullableString,
    kind: { type: 'string' },
    state: { type: 'string' },
    safety_level: { type: 'string' },
    therapeutic_goals: { type: 'array', items: { type: 'string' } },
    current_scene_id: nullableString,
    total_steps: { type: 'integer' },
    metadata: { type: 'object', additionalProperties: true },
    ttl_seconds: { type: 'integer' },
    version: { type: 'integer' },
    schema_version: { type: 'integer' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    expires_at: { type: 'string' },
    absolute_expires_at: { type: 'string' },
    completed_at: nullableString
  }
}

const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value)

app.addHook('onRequest', async (request, reply) => {
  try {
    await request.jwtVerify()
  } catch {
    return await reply.code(401).send({ code: 'unauthorized' })
  }
})

app.get<{ Params: { id: string } }>('/sessions/:id', {
  schema: {
    params: { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } }, required: ['id'] },
    response: { 200: sessionSchema }
  }
}, async (request, reply) => {
  const key = baselineKeys.session(request.params.id)
  const s = await redis.hgetall(key)
  if (s.user_id === undefined || s.user_id !== (request.user as { sub: string }).sub) {
    return await reply.code(404).send({ code: 'session_not_found' })
  }
  const ttlMs = Number(s.ttl_seconds) * 1000
  await redis.pexpire(key, ttlMs)
  reply.header('etag', `"${s.version}"`)
  return {
    id: s.id,
    user_id: s.user_id,
    workspace_id: orNull(s.workspace_id),
    kind: s.kind,
    state: s.state,
    safety_level: s.safety_level,
    therapeutic_goals: JSON.parse(s.therapeutic_goals ?? '[]'),
    current_scene_id: orNull(s.current_scene_id),
    total_steps: Number(s.total_steps),
    metadata: JSON.parse(s.metadata ?? '{}'),
    ttl_seconds: Number(s.ttl_seconds),
    version: Number(s.version),
    schema_version: Number(s.schema_version),
    created_at: s.created_at,
    updated_at: s.updated_at,
    expires_at: new Date(Date.now() + ttlMs).toISOString(),
    absolute_expires_at: s.absolute_expires_at,
    completed_at: orNull(s.completed_at)
  }
})
await listen(app, env, redis)
