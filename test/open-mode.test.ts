// Open development mode (no credentials, not production): every local caller is the one principal
// admin:open-mode, so its rate limit defaults to 6000 per minute instead of 600 (docs/decisions/0603).
import t from 'tap'
import { authEnv, bearer, buildTestApp, serviceKey } from './helper.js'

const missing = '/v1/sessions/AAAAAAAAAAAAAAAAAAAAAAAA'
// buildTestApp raises RATE_LIMIT_MAX for every other test; blank means unset, so the defaults apply here.
const defaults = { RATE_LIMIT_MAX: '' }

t.test('a developer\'s 700-request burst in open mode is not locked out', async (t) => {
  const { app } = await buildTestApp(t, defaults)
  const statuses = new Map<number, number>()
  let last
  for (let i = 0; i < 700; i++) {
    last = await app.inject({ url: missing })
    statuses.set(last.statusCode, (statuses.get(last.statusCode) ?? 0) + 1)
  }
  t.same([...statuses], [[404, 700]], 'every request answered, none 429')
  t.equal(last?.headers['ratelimit-limit'], '6000')
  // All 700 counted in one window, unless the burst crossed a window boundary (the count starts again).
  const remaining = Number(last?.headers['ratelimit-remaining'])
  t.ok(remaining >= 5300 && remaining < 6000, `remaining ${remaining}: the burst is counted against 6000`)
})

t.test('with credentials configured the contract\'s 600 per minute holds', async (t) => {
  const { app } = await buildTestApp(t, { ...authEnv, ...defaults })
  const first = await app.inject({ url: missing, headers: bearer(serviceKey) })
  t.equal(first.headers['ratelimit-limit'], '600')
})
