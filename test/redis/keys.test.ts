import t from 'tap'
import { createKeys, SESSION_KEY_TYPES, SESSION_DATA_KEY_TYPES, slotTag } from '../../src/redis/keys.js'

/** CRC16-XMODEM (poly 0x1021, init 0), the checksum Redis Cluster hashes keys with. */
function crc16 (text: string): number {
  let crc = 0
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8
    for (let bit = 0; bit < 8; bit++) crc = (crc & 0x8000) !== 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc
}

/** The Cluster slot of a key: only the first non-empty {hash tag} counts when there is one. */
function clusterSlot (key: string): number {
  const open = key.indexOf('{')
  if (open !== -1) {
    const close = key.indexOf('}', open + 1)
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % 16384
  }
  return crc16(key) % 16384
}

const KEY_SHAPE = /^(session|user|global):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):([a-z_]+):\{([^{}]+)\}:v2(?::([^:{}]+))?$/
const keys = createKeys({ system: 'sessiond', env: 'prod' })
const sessionId = 'Zk3p9f2cQ1xY7uVb0aLmN4sT'
const userId = 'alice@example.com'

t.test('the slot function agrees with the Redis Cluster specification', async (t) => {
  t.equal(crc16('123456789'), 0x31c3, 'the CRC16-XMODEM check value')
  t.equal(clusterSlot('{user1000}.following'), clusterSlot('{user1000}.followers'))
  t.equal(clusterSlot('foo{}{bar}'), crc16('foo{}{bar}') % 16384, 'an empty tag hashes the whole key')
  t.equal(clusterSlot('foo{{bar}}zap'), crc16('{bar') % 16384, 'the tag ends at the first }')
})

t.test('every key builder yields <scope>:<system>:<env>:<type>:{id}:v2[:suffix]', async (t) => {
  const built: Array<[string, string, string, string, string?]> = [
    [keys.session(sessionId), 'session', 'session', sessionId],
    [keys.steps(sessionId), 'session', 'steps', sessionId],
    [keys.narrative(sessionId), 'session', 'narrative', sessionId],
    [keys.scenes(sessionId), 'session', 'scenes', sessionId],
    [keys.choices(sessionId), 'session', 'choices', sessionId],
    [keys.messages(sessionId), 'session', 'messages', sessionId],
    [keys.events(sessionId), 'session', 'events', sessionId],
    [keys.finalized(sessionId), 'session', 'finalized', sessionId],
    [keys.sessionIdempotency(sessionId), 'session', 'idempotency', sessionId],
    [keys.changes(sessionId), 'session', 'changes', sessionId],
    [keys.expiryIndex(1234), 'global', 'expiry', slotTag(1234)],
    [keys.liveCounts(1234), 'global', 'live', slotTag(1234)],
    [keys.userSessions(userId), 'user', 'sessions', keys.userHash(userId)],
    [keys.userProgress(userId), 'user', 'progress', keys.userHash(userId)],
    [keys.userProgressDocs(userId), 'user', 'progress_docs', keys.userHash(userId)],
    [keys.userIdempotency(userId), 'user', 'idempotency', keys.userHash(userId)],
    [keys.idempotency('d1g3st'), 'global', 'idempotency', 'd1g3st'],
    [keys.audit('2026-11-22'), 'global', 'audit', '2026-11-22'],
    [keys.stats('2026-11-22'), 'global', 'stats', '2026-11-22'],
    [keys.finalizedStream(), 'global', 'finalized', 'stream']
  ]
  t.match(keys.rateLimit('user:alice', 42), /^global:sessiond:prod:ratelimit:\{[0-9a-f]{32}\}:v2:42$/, 'a rate-limit subject appears only as a digest')
  t.notOk(keys.rateLimit('user:alice', 42).includes('alice'))
  for (const [key, scope, type, identifier, suffix] of built) {
    const match = KEY_SHAPE.exec(key)
    t.ok(match, `${key} has the documented shape`)
    t.same(match?.slice(1), [scope, 'sessiond', 'prod', type, identifier, suffix], key)
  }
  // The contract's examples, with the current layout version (docs/decisions/0700-storage-layout-v2.md).
  t.equal(keys.steps(sessionId), `session:sessiond:prod:steps:{${sessionId}}:v2`)
  t.equal(keys.stats('2026-11-22'), 'global:sessiond:prod:stats:{2026-11-22}:v2')
})

t.test('KEY_SYSTEM and KEY_ENV are the second and third parts, and everything() matches exactly their keys', async (t) => {
  const other = createKeys({ system: 'other', env: 'staging' })
  t.equal(other.session(sessionId), `session:other:staging:session:{${sessionId}}:v2`)
  const pattern = new RegExp(`^${keys.everything().replace(/\*/g, '.*')}$`)
  for (const key of [...keys.sessionKeys(sessionId), keys.userSessions(userId), keys.audit('2026-01-01'), keys.finalizedStream()]) {
    t.match(key, pattern, `${key} is found by everything()`)
  }
  for (const key of [...other.sessionKeys(sessionId), createKeys({ system: 'sessiond', env: 'dev' }).session(sessionId)]) {
    t.notMatch(key, pattern, `${key} of another system or env is not`)
  }
})

t.test('all keys of one session share one Cluster slot', async (t) => {
  for (const id of [sessionId, 'a', 'AAAAAAAAAAAAAAAAAAAAAAAA', '-_-_-_-_-']) {
    const slots = new Set(keys.sessionKeys(id).map(clusterSlot))
    t.equal(slots.size, 1, `the ${SESSION_KEY_TYPES.length} keys of session ${id}, its slot's expiry index included, are in one slot`)
    t.equal([...slots][0], crc16(id) % 16384, 'the slot is the one of the session id')
  }
  const a = new Set(keys.sessionKeys('session-a').map(clusterSlot))
  const b = new Set(keys.sessionKeys('session-b').map(clusterSlot))
  t.not([...a][0], [...b][0], 'different sessions spread over slots')
})

t.test('the keys of one user share one slot, and so do the keys of one day', async (t) => {
  const userSlots = new Set([keys.userSessions(userId), keys.userProgress(userId), keys.userProgressDocs(userId), keys.userIdempotency(userId)].map(clusterSlot))
  t.equal(userSlots.size, 1)
  t.equal(new Set([keys.audit('2026-11-22'), keys.stats('2026-11-22')].map(clusterSlot)).size, 1)
})

t.test('user ids never appear in key names: only a fixed-length digest of them', async (t) => {
  for (const id of [userId, 'bob', 'user:with:colons', 'u'.repeat(128)]) {
    const userKeys = [keys.userSessions(id), keys.userProgress(id), keys.userProgressDocs(id), keys.userIdempotency(id)]
    for (const key of userKeys) {
      t.notOk(key.includes(id), `${key} does not contain the user id`)
      t.match(key, /\{[0-9a-f]{32}\}/)
    }
    t.equal(keys.userHash(id), keys.userHash(id), 'the digest is stable')
  }
  t.not(keys.userHash('alice'), keys.userHash('bob'))
  t.not(keys.userHash('alice'), createKeys({ system: 'other', env: 'prod' }).userHash('alice'), 'the digest depends on the system')
})

t.test('a remembered digest is the digest: the same after thousands of other users pushed it out', async (t) => {
  const fresh = createKeys({ system: 'memo', env: 'test' })
  const first = fresh.userHash('first-user')
  const seen = new Set<string>()
  for (let i = 0; i < 10_000; i++) seen.add(fresh.userHash(`user-${i}`))
  t.equal(seen.size, 10_000, 'no two users share a digest')
  t.equal(fresh.userHash('first-user'), first, 'computed again after being forgotten, it is the same')
  t.equal(createKeys({ system: 'memo', env: 'test' }).userHash('user-9999'), fresh.userHash('user-9999'), 'and the same as another builder computes')
})

t.test('sessionKeys lists the session keys in SESSION_KEY_TYPES order, the order the Lua scripts read them', async (t) => {
  const list = keys.sessionKeys(sessionId)
  t.equal(list.length, SESSION_KEY_TYPES.length)
  t.same(list, [
    keys.session(sessionId), keys.steps(sessionId), keys.narrative(sessionId), keys.scenes(sessionId), keys.choices(sessionId),
    keys.messages(sessionId), keys.events(sessionId), keys.finalized(sessionId), keys.sessionIdempotency(sessionId),
    keys.expiryIndex(clusterSlot(keys.session(sessionId))), keys.liveCounts(clusterSlot(keys.session(sessionId))), keys.changes(sessionId)
  ])
  list.forEach((key, i) => t.equal(KEY_SHAPE.exec(key)?.[4], SESSION_KEY_TYPES[i]))
  t.same(SESSION_DATA_KEY_TYPES, ['session', 'steps', 'narrative', 'scenes', 'choices', 'messages', 'events', 'finalized', 'idempotency'], 'data keys: all but the slot\'s index, counters and the channel')
  t.equal(new Set(list).size, list.length, 'no two session keys collide')
})

t.test('every slot has a short tag that hashes to it: an expiry index lives in its sessions\' slot', async (t) => {
  for (const slot of [0, 1, 777, 8191, 16383]) {
    t.equal(clusterSlot(`{${slotTag(slot)}}`), slot)
    t.ok(slotTag(slot).length <= 4)
  }
  const indexes = Array.from({ length: keys.slots }, (_, slot) => keys.expiryIndex(slot))
  t.equal(new Set(indexes.map(clusterSlot)).size, 16384, 'one index per slot, every slot covered')
  t.equal(clusterSlot(keys.liveCounts(777)), 777)
})

t.test('the session hash key is prefix + id + suffix (how a listing script finds sessions it reads from an index)', async (t) => {
  const [prefix, suffix] = keys.sessionHashParts()
  t.equal(`${prefix}${sessionId}${suffix}`, keys.session(sessionId))
})
