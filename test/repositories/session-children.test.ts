// What lives under a session (narrative, scenes, choices, messages) as the repositories see it, with no
// HTTP in between: only the session's owner reaches it, and every key written has a TTL.
import t from 'tap'
import { buildTestStore } from '../helper.js'
import type { Access } from '../../src/domain/access.js'
import { idempotencyClaim } from '../../src/domain/idempotency.js'
import { EXPIRY_GRACE_MS } from '../../src/domain/ttl.js'
import { sessionFromRecord } from '../../src/domain/session-record.js'

const owner: Access = { kind: 'user', userId: 'user-1' }
const stranger: Access = { kind: 'user', userId: 'mallory' }

t.test('another user\'s session is indistinguishable from a missing one, for reads and writes', async (t) => {
  const { repos, redis, keys } = await buildTestStore(t)
  const session = sessionFromRecord((await repos.sessions.create({ user_id: 'user-1', kind: 'narrative' })).record)
  const claim = idempotencyClaim({ principal: 'user:user-1', operation: 'POST /x', key: 'k' }, {})
  await repos.narrative.putContext(session.id, owner, '', 'world_state', { data: { a: 1 } })
  await repos.scenes.enterScene(session.id, owner, '', 'entry-000000000001', { scene_id: 'intro' }, claim)
  const messageClaim = idempotencyClaim({ principal: 'user:user-1', operation: 'POST /y', key: 'k' }, {})
  await repos.messages.append(session.id, owner, '', 'message-0000000001', { role: 'user', content: 'hi' }, messageClaim)
  const attempts: Array<[string, () => Promise<unknown>]> = [
    ['read session', async () => await repos.sessions.get(session.id, stranger)],
    ['summary', async () => await repos.sessions.summary(session.id, stranger)],
    ['patch', async () => await repos.sessions.update(session.id, stranger, { state: 'paused' }, '')],
    ['delete', async () => await repos.sessions.delete(session.id, stranger)],
    ['save step', async () => await repos.steps.save(session.id, stranger, 1, {}, '')],
    ['list steps', async () => await repos.steps.list(session.id, stranger, undefined, 10)],
    ['put context', async () => await repos.narrative.putContext(session.id, stranger, '', 'world_state', { data: {} })],
    ['read context', async () => await repos.narrative.getContext(session.id, stranger, 'world_state')],
    ['list contexts', async () => await repos.narrative.listContexts(session.id, stranger)],
    ['delete context', async () => await repos.narrative.deleteContext(session.id, stranger, '', 'world_state')],
    ['clear contexts', async () => await repos.narrative.clearContexts(session.id, stranger, '')],
    ['enter scene', async () => await repos.scenes.enterScene(session.id, stranger, '', 'entry-000000000002', { scene_id: 'x' })],
    ['replay an idempotency key', async () => await repos.scenes.enterScene(session.id, stranger, '', 'entry-000000000002', { scene_id: 'intro' }, claim)],
    ['list scenes', async () => await repos.scenes.listScenes(session.id, stranger, undefined, 10)],
    ['make choice', async () => await repos.scenes.makeChoice(session.id, stranger, '', 'entry-000000000003', { scene_id: 'intro', choice_id: 'c' })],
    ['list choices', async () => await repos.scenes.listChoices(session.id, stranger, undefined, 10)],
    ['append message', async () => await repos.messages.append(session.id, stranger, '', 'message-0000000002', { role: 'user', content: 'x' })],
    ['replay a message key', async () => await repos.messages.append(session.id, stranger, '', 'message-0000000002', { role: 'user', content: 'hi' }, messageClaim)],
    ['list messages', async () => await repos.messages.list(session.id, stranger, {}, 'asc', 10)],
    ['clear messages', async () => await repos.messages.clear(session.id, stranger, '')],
    ['finalize', async () => await repos.finalize.finalize(session.id, stranger, { allowIncomplete: true, ifMatch: '' })]
  ]
  for (const [name, attempt] of attempts) await t.rejects(attempt(), { code: 'session_not_found' }, name)
  t.equal(await redis.hget(keys.session(session.id), 'version'), '4', 'nothing changed')
  t.equal((await repos.messages.list(session.id, owner, {}, 'asc', 10)).items.length, 1, 'the owner still reaches it')
  t.equal((await repos.sessions.get(session.id, owner)).version, 4)
})

t.test('every key written under a session and a user has a TTL, and expires with the session', async (t) => {
  const { repos, allKeys, redis, keys } = await buildTestStore(t)
  const session = sessionFromRecord((await repos.sessions.create({ user_id: 'user-1', kind: 'narrative', total_steps: 3 })).record)
  const claim = idempotencyClaim({ principal: 'user:user-1', operation: 'POST /x', key: 'k' }, {})
  await repos.steps.save(session.id, owner, 2, { a: 1 }, '')
  await repos.narrative.putContext(session.id, owner, '', 'world_state', { data: { a: 1 } })
  await repos.scenes.enterScene(session.id, owner, '', 'entry-000000000001', { scene_id: 'intro' })
  await repos.scenes.makeChoice(session.id, owner, '', 'entry-000000000002', { scene_id: 'intro', choice_id: 'go' }, claim)
  await repos.messages.append(session.id, owner, '', 'message-0000000001', { role: 'user', content: 'hi' })
  await repos.userProgress.add('user-1', 'snapshot-000000001', { metrics: { a: 1 } })
  const written = await allKeys()
  const types = new Set(written.map((key) => key.split(':')[3]))
  for (const type of ['session', 'steps', 'narrative', 'scenes', 'choices', 'messages', 'events', 'idempotency', 'sessions', 'progress', 'progress_docs']) {
    t.ok(types.has(type), `a ${type} key was written`)
  }
  const expiresAt = Date.parse((await repos.sessions.get(session.id, owner, false)).expires_at)
  const keysGone = expiresAt + EXPIRY_GRACE_MS
  for (const key of written) {
    t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
    if (key.includes(`{${session.id}}`)) t.equal(await redis.pexpiretime(key), keysGone, `${key} goes with its session, the sweep's grace after expires_at`)
  }
  const [expiryIndex, liveCounts] = [keys.sessionKeys(session.id)[9]!, keys.sessionKeys(session.id)[10]!]
  t.equal(Number(await redis.zscore(expiryIndex, session.id)), expiresAt, 'the slot\'s expiry index knows when it expires')
  for (const key of [expiryIndex, liveCounts]) t.ok(await redis.pexpiretime(key) >= keysGone, `${key} outlives the sessions of its slot`)
  t.same(await redis.hgetall(liveCounts), { 'k:narrative': '1', 's:active': '1' }, 'the slot counts it live, by kind and by state')
})
