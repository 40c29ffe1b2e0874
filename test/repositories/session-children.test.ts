// What lives under a session (narrative, scenes, choices, messages) as the repositories see it: only
// the session's owner reaches it, and every key written has a TTL. Owner checks are driven here with
// a user Access directly, since this branch's auth runs in open mode only.
import t from 'tap'
import { buildTestApp, createSession } from '../helper.js'
import type { Access } from '../../src/domain/access.js'

const owner: Access = { kind: 'user', userId: 'user-1' }
const stranger: Access = { kind: 'user', userId: 'mallory' }

t.test('another user\'s session is indistinguishable from a missing one, for reads and writes', async (t) => {
  const { app, redis, keys } = await buildTestApp(t)
  const { repos } = app
  const session = await createSession(app, { user_id: 'user-1', kind: 'narrative' })
  await repos.narrative.putContext(session.id, owner, '', 'world_state', { data: { a: 1 } })
  await repos.scenes.enterScene(session.id, owner, '', 'entry-000000000001', { scene_id: 'intro' })
  await repos.messages.append(session.id, owner, '', 'message-0000000001', { role: 'user', content: 'hi' })
  const attempts: Array<[string, () => Promise<unknown>]> = [
    ['put context', async () => await repos.narrative.putContext(session.id, stranger, '', 'world_state', { data: {} })],
    ['read context', async () => await repos.narrative.getContext(session.id, stranger, 'world_state')],
    ['list contexts', async () => await repos.narrative.listContexts(session.id, stranger)],
    ['delete context', async () => await repos.narrative.deleteContext(session.id, stranger, '', 'world_state')],
    ['clear contexts', async () => await repos.narrative.clearContexts(session.id, stranger, '')],
    ['enter scene', async () => await repos.scenes.enterScene(session.id, stranger, '', 'entry-000000000002', { scene_id: 'x' })],
    ['replay an entry id', async () => await repos.scenes.enterScene(session.id, stranger, '', 'entry-000000000001', { scene_id: 'intro' })],
    ['list scenes', async () => await repos.scenes.listScenes(session.id, stranger, undefined, 10)],
    ['make choice', async () => await repos.scenes.makeChoice(session.id, stranger, '', 'entry-000000000003', { scene_id: 'intro', choice_id: 'c' })],
    ['list choices', async () => await repos.scenes.listChoices(session.id, stranger, undefined, 10)],
    ['append message', async () => await repos.messages.append(session.id, stranger, '', 'message-0000000002', { role: 'user', content: 'x' })],
    ['replay a message id', async () => await repos.messages.append(session.id, stranger, '', 'message-0000000001', { role: 'user', content: 'hi' })],
    ['list messages', async () => await repos.messages.list(session.id, stranger, undefined, 'asc', 10)],
    ['clear messages', async () => await repos.messages.clear(session.id, stranger, '')]
  ]
  for (const [name, attempt] of attempts) await t.rejects(attempt(), { code: 'session_not_found' }, name)
  t.equal(await redis.hget(keys.session(session.id), 'version'), '4', 'nothing changed')
  t.equal((await repos.messages.list(session.id, owner, undefined, 'asc', 10)).items.length, 1, 'the owner still reaches it')
})

t.test('every key written under a session and a user has a TTL', async (t) => {
  const { app, allKeys, redis } = await buildTestApp(t)
  const session = await createSession(app, { kind: 'narrative' })
  const base = `/v1/sessions/${session.id}`
  await app.inject({ method: 'PUT', url: `${base}/narrative/world_state`, payload: { data: { a: 1 } } })
  await app.inject({ method: 'POST', url: `${base}/scenes`, payload: { scene_id: 'intro' } })
  await app.inject({ method: 'POST', url: `${base}/choices`, payload: { scene_id: 'intro', choice_id: 'go' }, headers: { 'idempotency-key': 'k' } })
  await app.inject({ method: 'POST', url: `${base}/messages`, payload: { role: 'user', content: 'hi' } })
  await app.inject({ method: 'POST', url: '/v1/users/user-1/progress', payload: { metrics: { a: 1 } } })
  const written = await allKeys()
  for (const type of ['narrative', 'scenes', 'choices', 'messages', 'message_docs', 'progress', 'progress_docs', 'idempotency']) {
    t.ok(written.some((key) => key.includes(`:${type}:`)), `a ${type} key was written`)
  }
  for (const key of written) t.ok(await redis.pttl(key) > 0, `${key} has a TTL`)
})
