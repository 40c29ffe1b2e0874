// Session states the tests of things under a session need.
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import type { Keys } from '../src/redis/keys.js'

/** Moves a session to `state` through PATCH (the state machine applies). */
export async function patchState (app: FastifyInstance, sessionId: string, state: string): Promise<void> {
  const response = await app.inject({ method: 'PATCH', url: `/v1/sessions/${sessionId}`, payload: { state } })
  if (response.statusCode !== 200) throw new Error(`PATCH state ${state} failed: ${response.statusCode} ${response.body}`)
}

/** Marks a session finalized with the raw client: finalize is not on this branch yet (switch to POST …/finalize once it is). */
export async function markFinalized (redis: Redis, keys: Keys, sessionId: string): Promise<void> {
  await redis.hset(keys.session(sessionId), 'state', 'completed', 'completed_at', String(Date.now()))
}

/** The session's version as stored (read without sliding or bumping anything). */
export async function storedVersion (redis: Redis, keys: Keys, sessionId: string): Promise<number> {
  return Number(await redis.hget(keys.session(sessionId), 'version'))
}
