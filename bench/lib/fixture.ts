// Seeding the main run: sessiond's sessions through its HTTP API, and the peers' equivalent hashes
// copied from what that API answers (so both sides hold the same session, field for field).
import { baselineKeys } from '../baselines/common.js'
import { HttpClient } from './http.js'
import { signUserToken } from './jwt.js'
import type { PrivateRedis } from './redis-server.js'
import { fixtureGroups, slotUser, type Fixture, type FixturePool } from './scenarios.js'
import { seedThroughApi } from './seed-client.js'
import type { SeedResult } from './seed-plan.js'

export function tokenCache (secret: string): (userId: string) => string {
  const tokens = new Map<string, string>()
  return (userId) => {
    let token = tokens.get(userId)
    if (token === undefined) { token = signUserToken(secret, userId); tokens.set(userId, token) }
    return token
  }
}

export interface SeededFixture { fixture: Fixture, seeding: SeedResult | null }

export async function seedFixture (opts: { sessiondUrl: string | null, jwtSecret: string, slots: number, pools: Set<FixturePool>, concurrency: number }): Promise<SeededFixture> {
  const fixture: Fixture = { slots: opts.slots, userOf: slotUser, tokenOf: tokenCache(opts.jwtSecret), pools: {} }
  if (opts.pools.size === 0 || opts.sessiondUrl === null) return { fixture, seeding: null }
  const seeding = await seedThroughApi({
    url: opts.sessiondUrl,
    jwtSecret: opts.jwtSecret,
    concurrency: opts.concurrency,
    groups: fixtureGroups(opts.pools, opts.slots)
  }, 'fixture')
  for (const pool of opts.pools) {
    if (pool === 'list') continue
    fixture.pools[pool] = Array.from({ length: opts.slots }, (_, slot) => seeding.ids[pool]?.[slotUser(slot)]?.[0] ?? '')
  }
  return { fixture, seeding }
}

/** A session as sessiond answers it, stored the way a hand-written service would: one hash of strings. */
function toHash (session: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(session).map(([field, value]) => [
    field,
    value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  ]))
}

/** Copies each session of `ids` (read through sessiond's API without touching it) to the peers' keys. */
export async function copyToPeerHashes (redis: PrivateRedis, sessiondUrl: string, fixture: Fixture, pool: FixturePool): Promise<void> {
  const http = new HttpClient(sessiondUrl, 8)
  const ids = fixture.pools[pool] ?? []
  await Promise.all(ids.map(async (id, slot) => {
    const res = await http.expect2xx({ method: 'GET', path: `/v1/sessions/${id}?touch=false`, headers: { authorization: `Bearer ${fixture.tokenOf(fixture.userOf(slot))}` } })
    const hash = toHash(JSON.parse(res.body) as Record<string, unknown>)
    const ttlMs = Number(hash.ttl_seconds) * 1000
    await redis.client.multi()
      .del(baselineKeys.session(id), baselineKeys.steps(id))
      .hset(baselineKeys.session(id), hash)
      .pexpire(baselineKeys.session(id), ttlMs)
      .exec()
  }))
  http.close()
}

export async function seedBlob (redis: PrivateRedis): Promise<void> {
  await redis.client.set(baselineKeys.blob, 'x'.repeat(1024), 'PX', 86_400_000)
}
