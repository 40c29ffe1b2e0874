// Rate limit per principal on /v1 (contract §2): RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS,
// counted in fixed windows in Redis so every instance shares them; 429 rate_limited + retry-after.
// Ops endpoints (health, metrics, docs, openapi) are exempt. When the counter cannot be reached
// within a short timeout the request goes through (fail open, docs/decisions/0101-rate-limit-fails-open.md).
import fp from 'fastify-plugin'
import { RateLimitStore } from '../src/repositories/rate-limit-store.js'
import { AppError } from '../src/errors.js'
import { isApiRequest } from './auth.js'
import { principalLabel } from '../src/domain/principal.js'
import { withDeadline } from '../src/deadline.js'

/** The most the limiter may add to a request while Redis is slow, far below the command timeout. */
export const LIMITER_TIMEOUT_MS = 100

export default fp(async function rateLimit (fastify) {
  const { max, windowMs } = fastify.config.rateLimit
  const counters = new RateLimitStore(fastify.redis, windowMs)
  const timeoutMs = Math.min(LIMITER_TIMEOUT_MS, fastify.config.redis.commandTimeoutMs)
  let failingOpen = false

  fastify.addHook('onRequest', async (request, reply) => {
    if (!isApiRequest(request)) return
    const now = Date.now()
    let count: number
    let resetAtMs: number
    try {
      ({ count, resetAtMs } = await withDeadline(timeoutMs, counters.hit(principalLabel(request.principal), now), 'rate limiter'))
    } catch (err) {
      // One line per outage, not one per request.
      if (!failingOpen) request.log.warn({ err: { message: (err as Error).message } }, 'rate limiter unavailable: letting requests through')
      failingOpen = true
      return
    }
    if (failingOpen) request.log.info('rate limiter available again')
    failingOpen = false
    const resetSeconds = Math.max(1, Math.ceil((resetAtMs - now) / 1000))
    reply.headers({
      'ratelimit-limit': String(max),
      'ratelimit-remaining': String(Math.max(0, max - count)),
      'ratelimit-reset': String(resetSeconds)
    })
    if (count > max) {
      throw new AppError('rate_limited', `At most ${max} requests per ${windowMs} ms; retry after ${resetSeconds} s`, {}, { 'retry-after': String(resetSeconds) })
    }
  })
}, { name: 'rate-limit', dependencies: ['config', 'redis', 'auth'] })
