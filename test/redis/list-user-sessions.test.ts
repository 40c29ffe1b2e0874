// The user listing's script (list-user-sessions-1.lua) where a page stops early: the examination budget
// ran out, or the last entry it examined was of a session that is gone. The position it answers is the
// last entry examined, and the next page goes on from there (docs/decisions/0730).
import t from 'tap'
import { buildTestApp, createSession } from '../helper.js'
import { createRedisClient } from '../../src/redis/client.js'
import { createKeys } from '../../src/redis/keys.js'
import { RedisStore } from '../../src/redis/store.js'

t.test('a page left short by the budget or by a gone session answers the position of the last entry examined', async (t) => {
  const { app, config, redis, keys } = await buildTestApp(t)
  const client = createRedisClient(config.redis)
  await client.connect()
  t.teardown(() => client.disconnect())
  const store = new RedisStore(client, createKeys(config.keys))
  const user = 'budgeted'
  for (let i = 0; i < 5; i++) await createSession(app, { user_id: user, kind: 'chat' })
  const index = await redis.zrevrange(keys.userSessions(user), '0', '-1', 'WITHSCORES')
  const entries = Array.from({ length: index.length / 2 }, (_, i) => [Number(index[2 * i + 1]), index[2 * i]!] as [number, string])
  const page = async (after: [number, string] | null, budget: number, kind = 'onboarding'): Promise<{ ids: string[], more: boolean, position: [number, string] | null }> => {
    const got = await store.scripts.listUserSessions(user, { owner: user, after, limit: 20, state: '', kind, budget })
    return { ids: got.records.map((r) => r.id!), more: got.more, position: got.position }
  }

  // No chat is an onboarding session: the budget of 2 ends the first page after two entries.
  t.same(await page(null, 2), { ids: [], more: true, position: entries[1] })
  t.same(await page(entries[1]!, 2), { ids: [], more: true, position: entries[3] })
  t.same(await page(entries[3]!, 2), { ids: [], more: false, position: entries[4] })

  // The second entry's session is gone: the first page still answers its position, then prunes it.
  await redis.del(keys.session(entries[1]![1]))
  t.same(await page(null, 2), { ids: [], more: true, position: entries[1] })
  t.notOk((await redis.zrange(keys.userSessions(user), '0', '-1')).includes(entries[1]![1]), 'the gone entry is pruned')
  t.same((await page(entries[1]!, 20, 'chat')).ids, [entries[2]![1], entries[3]![1], entries[4]![1]], 'the next page goes on after it')

  // A first page that holds every session answers them with no position to go on from.
  const whole = await page(null, 1000, 'chat')
  t.same(whole.ids, [entries[0]![1], entries[2]![1], entries[3]![1], entries[4]![1]])
  t.equal(whole.more, false)
  t.equal(whole.position, null, 'a last page that began at the newest has no position (nothing to go on from)')
})
