// Bearer credentials alone: API keys, JWT verification, and the cache of verified tokens.
import t from 'tap'
import { createAuthenticator } from '../../src/domain/credentials.js'
import { loadConfig } from '../../src/config.js'
import { authEnv, userToken, serviceKey } from '../helper.js'

const auth = loadConfig({ ...authEnv, REDIS_URL: 'redis://127.0.0.1:1' }).auth

t.test('a verified JWT is answered from memory the next time: no signature check, no promise', async (t) => {
  const authenticator = await createAuthenticator(auth)
  const header = `Bearer ${await userToken('alice')}`
  const first = authenticator.authenticate(header)
  t.ok(first instanceof Promise, 'the first time the signature is checked (asynchronously)')
  t.match(await first, { principal: { kind: 'user', id: 'alice' }, access: { kind: 'user', userId: 'alice' } })
  const second = authenticator.authenticate(header)
  t.notOk(second instanceof Promise, 'the second time it is a map lookup')
  t.same(second, await first)
})

t.test('only verified tokens are remembered, and the cache is bounded (oldest out first)', async (t) => {
  const authenticator = await createAuthenticator(auth, 2)
  const bad = `Bearer ${await userToken('alice', { secret: 'wrong-secret-0123456789abcdef0123456789' })}`
  t.match(await authenticator.authenticate(bad), { failure: 'invalid_jwt' })
  t.ok(authenticator.authenticate(bad) instanceof Promise, 'a refused token is checked again every time')
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (sub) => `Bearer ${await userToken(sub)}`))
  for (const header of [a!, b!, c!]) await authenticator.authenticate(header)
  t.ok(authenticator.authenticate(a!) instanceof Promise, 'the oldest of three was forgotten by a cache of two')
  t.notOk(authenticator.authenticate(c!) instanceof Promise, 'the newest is remembered')
})

t.test('API keys are compared every time (never cached), and the result is synchronous', async (t) => {
  const authenticator = await createAuthenticator(auth)
  const result = authenticator.authenticate(`Bearer ${serviceKey}`)
  t.notOk(result instanceof Promise)
  t.match(result, { principal: { kind: 'service', id: 'backend' } })
  t.match(authenticator.authenticate('Bearer not-a-key-at-all-0123456789abcdefghij'), { failure: 'unknown_key' })
})

t.test('a JWT issued or valid only beyond the clock tolerance is refused, and never remembered', async (t) => {
  const authenticator = await createAuthenticator(auth)
  for (const [what, options] of [
    ['iat a day ahead', { issuedIn: 86_400 }],
    ['iat a minute ahead', { issuedIn: 60 }],
    ['nbf a minute ahead', { notBeforeIn: 60 }]
  ] as const) {
    const header = `Bearer ${await userToken('alice', { ...options, expiresIn: 2 * 86_400 })}`
    t.match(await authenticator.authenticate(header), { failure: 'future_jwt' }, what)
    t.ok(authenticator.authenticate(header) instanceof Promise, `${what}: checked again next time`)
  }
  for (const [what, options] of [['iat within the tolerance', { issuedIn: 3 }], ['nbf within the tolerance', { notBeforeIn: 3 }]] as const) {
    t.match(await authenticator.authenticate(`Bearer ${await userToken('alice', options)}`), { principal: { id: 'alice' } }, what)
  }
})
