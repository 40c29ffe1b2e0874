// Session states the tests of things under a session need, reached through the API.
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import type { Keys } from '../src/redis/keys.js'
import { decodeEvent, type SessionEvent } from '../src/domain/events.js'

/** Moves a session to `state` through PATCH (the state machine applies). */
export async function patchState (app: FastifyInstance, sessionId: string, state: string): Promise<void> {
  const response = await app.inject({ method: 'PATCH', url: `/v1/sessions/${sessionId}`, payload: { state } })
  if (response.statusCode !== 200) throw new Error(`PATCH state ${state} failed: ${response.statusCode} ${response.body}`)
}

/** Finalizes a session through POST …/finalize (missing steps allowed); it must be in a writable state. */
export async function finalizeSession (app: FastifyInstance, sessionId: string): Promise<void> {
  const response = await app.inject({ method: 'POST', url: `/v1/sessions/${sessionId}/finalize`, payload: { allow_incomplete: true } })
  if (response.statusCode !== 200) throw new Error(`finalize failed: ${response.statusCode} ${response.body}`)
}

/** The session's version as stored (read without sliding or bumping anything). */
export async function storedVersion (redis: Redis, keys: Keys, sessionId: string): Promise<number> {
  return Number(await redis.hget(keys.session(sessionId), 'version'))
}

/** The session's event log as the event streams will serve it (decoded from Redis, oldest first). */
export async function storedEvents (redis: Redis, keys: Keys, sessionId: string): Promise<SessionEvent[]> {
  return (await redis.lrange(keys.events(sessionId), 0, -1)).map((encoded) => decodeEvent(sessionId, encoded))
}
