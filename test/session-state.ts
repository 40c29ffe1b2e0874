// Puts a session into a state the API cannot reach yet on this branch, with the raw Redis client.
// (Switch to PATCH /v1/sessions/{id} once it exists; finalize for 'completed'.)
import type { Redis } from 'ioredis'
import type { Keys } from '../src/redis/keys.js'

export async function setSessionState (redis: Redis, keys: Keys, sessionId: string, state: string): Promise<void> {
  await redis.hset(keys.session(sessionId), 'state', state)
}

/** The session's version as stored (read without sliding or bumping anything). */
export async function storedVersion (redis: Redis, keys: Keys, sessionId: string): Promise<number> {
  return Number(await redis.hget(keys.session(sessionId), 'version'))
}
