// Contract §12: authorization headers, API keys, JWTs, password/token/secret fields and message content
// never reach the log — not even at LOG_LEVEL=trace, not on errors, not when a client misplaces them.
import t from 'tap'
import { PassThrough } from 'node:stream'
import { adminKey, authEnv, bearer, buildTestApp, createSession, jwtSecret, serviceKey, userToken } from './helper.js'

t.test('a traced run with keys, JWTs and message-like content logs none of them', async (t) => {
  const chunks: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
  const { app } = await buildTestApp(t, { ...authEnv, LOG_LEVEL: 'trace' }, { logStream })

  const aliceToken = await userToken('alice')
  const expiredToken = await userToken('alice', { expiresIn: -120 })
  const forgedToken = await userToken('alice', { secret: 'forged-secret-0123456789abcdef0123456789' })
  const content = 'I told the assistant something private: my-diary-entry-7f3a'
  const secrets = [serviceKey, adminKey, jwtSecret, aliceToken, expiredToken, forgedToken, content,
    'hunter2-password-value', 'misplaced-token-value', 'misplaced-secret-value', 'garbage-bearer-4b1d', 'query-token-9c2e']

  const service = bearer(serviceKey)
  // Keys and JWTs on every kind of request: success, 404, 403, 401.
  const created = await createSession(app, { user_id: 'alice', metadata: { content, password: 'hunter2-password-value' } }, service)
  await app.inject({ url: `/v1/sessions/${created.id}`, headers: bearer(aliceToken) })
  await app.inject({ url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA', headers: bearer(aliceToken) })
  await app.inject({ url: '/v1/admin/audit', headers: bearer(adminKey) })
  await app.inject({ url: '/v1/admin/audit', headers: bearer(aliceToken) })
  for (const token of [expiredToken, forgedToken, 'garbage-bearer-4b1d']) await app.inject({ url: `/v1/sessions/${created.id}`, headers: bearer(token) })
  await app.inject({ url: `/v1/sessions/${created.id}`, headers: { authorization: `Basic ${serviceKey}`, 'x-api-key': serviceKey } })
  // Message-like bodies: a content field where none is allowed, secrets in unknown fields, broken JSON.
  await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload: { user_id: 'alice', content, token: 'misplaced-token-value', secret: 'misplaced-secret-value' } })
  await app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...service, 'content-type': 'application/json' }, payload: `{"role":"user","content":"${content}"` })
  // Real chat messages, written and read back by the user.
  const posted = await app.inject({ method: 'POST', url: `/v1/sessions/${created.id}/messages`, headers: bearer(aliceToken), payload: { role: 'user', content } })
  t.equal(posted.statusCode, 201, 'a message was stored')
  t.match((await app.inject({ url: `/v1/sessions/${created.id}/messages`, headers: bearer(aliceToken) })).body, content, 'and read back')
  await app.inject({ method: 'POST', url: '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA/messages', headers: service, payload: { role: 'user', content } })
  await app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...service, 'content-type': 'text/plain' }, payload: content })
  await app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...service, 'content-type': 'application/json' }, payload: JSON.stringify({ user_id: 'alice', metadata: { blob: 'x'.repeat(17_000), content } }) })
  // A token misplaced in the query string.
  await app.inject({ url: `/v1/sessions/${created.id}?access_token=query-token-9c2e`, headers: service })

  const log = chunks.join('')
  const lines = log.split('\n').filter(Boolean).map((line) => JSON.parse(line))
  t.ok(lines.filter((line) => line.msg === 'request completed').length >= 12, 'the run was logged')
  for (const secret of secrets) t.notOk(log.includes(secret), `the log does not contain ${secret.slice(0, 12)}…`)
  // Nor any fragment of a JWT (its signature part would be enough to replay nothing, but never log it).
  for (const token of [aliceToken, expiredToken, forgedToken]) {
    for (const part of token.split('.')) t.notOk(log.includes(part), 'no JWT segment in the log')
  }
})
