// The rate limiter alone on a real Redis: local counts, batched into the shared counter, and the
// documented overshoot bound across instances (src/repositories/rate-limiter.ts).
import t from 'tap'
import { buildTestStore } from '../helper.js'
import { RateLimiter } from '../../src/repositories/rate-limiter.js'

const MAX = 10
const WINDOW_MS = 86_400_000
/** No automatic flush during a test: flushes happen where the test says. */
const NEVER = 3_600_000

t.test('a single instance admits exactly max requests per window', async (t) => {
  const { store } = await buildTestStore(t)
  const limiter = new RateLimiter(store, { max: MAX, windowMs: WINDOW_MS, flushMs: NEVER })
  t.teardown(async () => await limiter.close())
  const counts = Array.from({ length: MAX + 2 }, () => limiter.hit('user:a', Date.now()).count)
  t.same(counts, Array.from({ length: MAX + 2 }, (_, i) => i + 1))
  t.equal(counts.filter((c) => c <= MAX).length, MAX)
})

t.test('instances that flush after every request overshoot by at most one request each', async (t) => {
  const { store } = await buildTestStore(t)
  const N = 2
  const limiters = Array.from({ length: N }, () => new RateLimiter(store, { max: MAX, windowMs: WINDOW_MS, flushMs: NEVER }))
  t.teardown(async () => { for (const l of limiters) await l.close() })
  let admitted = 0
  for (let i = 0; i < 3 * MAX; i++) {
    const limiter = limiters[i % N]!
    if (limiter.hit('user:a', Date.now()).count <= MAX) admitted++
    await limiter.flush()
  }
  // Each instance admits one request between two of its flushes (A = 1): the bound is MAX + (N - 1).
  t.ok(admitted >= MAX && admitted <= MAX + (N - 1), `${admitted} admitted for a budget of ${MAX}`)
})

t.test('overshoot across N instances is at most (N - 1) × what one admits between two flushes', async (t) => {
  const { store } = await buildTestStore(t)
  const N = 3
  const limiters = Array.from({ length: N }, () => new RateLimiter(store, { max: MAX, windowMs: WINDOW_MS, flushMs: NEVER }))
  t.teardown(async () => { for (const l of limiters) await l.close() })
  // The worst case: nobody flushes while a burst arrives, so each instance admits up to max on its own.
  const admittedBy = limiters.map(() => 0)
  for (let i = 0; i < N * MAX * 2; i++) {
    if (limiters[i % N]!.hit('user:a', Date.now()).count <= MAX) admittedBy[i % N]!++
  }
  const admitted = admittedBy.reduce((a, b) => a + b, 0)
  const betweenFlushes = Math.max(...admittedBy)
  t.ok(admitted <= MAX + (N - 1) * betweenFlushes, `${admitted} admitted ≤ ${MAX} + ${N - 1} × ${betweenFlushes}`)
  t.equal(admitted, N * MAX, 'and here the bound is reached: every instance admitted max on its own')
  for (const limiter of limiters) await limiter.flush()
  for (const limiter of limiters) await limiter.flush()
  for (const limiter of limiters) t.ok(limiter.hit('user:a', Date.now()).count > MAX, 'once flushed, every instance knows the window is spent')
})

t.test('counts wait in memory while Redis is unreachable and reach it afterwards', async (t) => {
  const { store, redis, keys } = await buildTestStore(t, { REDIS_COMMAND_TIMEOUT_MS: '100' })
  const errors: string[] = []
  let recovered = 0
  const limiter = new RateLimiter(store, { max: MAX, windowMs: WINDOW_MS, flushMs: NEVER, onError: (err) => errors.push(err.message), onRecovered: () => recovered++ })
  t.teardown(async () => await limiter.close())
  await redis.client('PAUSE', 1000, 'WRITE')
  const now = Date.now()
  for (let i = 0; i < 3; i++) limiter.hit('service:backend', now)
  await limiter.flush()
  await limiter.flush()
  t.equal(errors.length, 1, 'one report per outage')
  t.match(errors[0], /unavailable/)
  await redis.client('UNPAUSE')
  await limiter.flush()
  t.equal(recovered, 1)
  // A timed-out batch may still have landed and is sent again: counts err towards limiting, never lost.
  t.ok(Number(await redis.get(keys.rateLimit('service:backend', Math.floor(now / WINDOW_MS)))) >= 3, 'nothing counted was lost')
})
