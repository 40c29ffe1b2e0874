// Sessions with content in every place contract §13 seals, and a look at everything stored, for the
// encryption tests (test/encryption*.test.ts).
import type { Redis } from 'ioredis'
import { createSession, type TestApp } from './helper.js'

export const SECRET = 'my-private-words-5e1f'

/** Every value stored under the test's keys, whatever its type, as one text. */
export async function everythingStored (redis: Redis, keys: string[]): Promise<string> {
  const out: string[] = []
  for (const k of keys) {
    const type = await redis.type(k)
    if (type === 'string') out.push((await redis.get(k)) ?? '')
    else if (type === 'hash') out.push(...Object.values(await redis.hgetall(k)))
    else if (type === 'list') out.push(...await redis.lrange(k, 0, -1))
    else if (type === 'zset') out.push(...await redis.zrange(k, '0', '-1'))
    else if (type === 'set') out.push(...await redis.smembers(k))
    else if (type === 'stream') out.push(...(await redis.xrange(k, '-', '+')).flatMap(([, fields]) => fields))
  }
  return out.join('\n')
}

/** A session with content in every place contract §13 lists, finalized when `finalize`. */
export async function fillSession (app: TestApp['app'], finalize: boolean, userId = 'user-1'): Promise<string> {
  const headers = { 'idempotency-key': `k-${Math.random()}` }
  const session = await createSession(app, { user_id: userId, kind: 'onboarding', total_steps: 1, metadata: { note: SECRET }, therapeutic_goals: [SECRET] }, headers)
  const base = `/v1/sessions/${session.id}`
  const ok = async (method: 'PUT' | 'POST', url: string, payload: unknown, extra: Record<string, string> = {}): Promise<void> => {
    const response = await app.inject({ method, url, payload: payload as Record<string, unknown>, headers: extra })
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
  }
  await ok('PUT', `${base}/steps/1`, { answer: SECRET })
  await ok('PUT', `${base}/narrative/story`, { data: { told: SECRET } })
  await ok('POST', `${base}/scenes`, { scene_id: 'intro' })
  await ok('POST', `${base}/choices`, { scene_id: 'intro', choice_id: 'go', data: { why: SECRET } }, { 'idempotency-key': 'c1' })
  await ok('POST', `${base}/messages`, { role: 'user', content: SECRET, metadata: { mood: SECRET } }, { 'idempotency-key': 'm1' })
  await ok('POST', `/v1/users/${userId}/progress`, { metrics: { calm: 1 }, skills_developed: [SECRET] }, { 'idempotency-key': 'p1' })
  if (finalize) await ok('POST', `${base}/finalize`, {})
  return session.id as string
}
