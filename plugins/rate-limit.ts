// Rate limit per principal (contract §2), registered inside the /v1 scope after auth: RATE_LIMIT_MAX
// requests per RATE_LIMIT_WINDOW_MS, counted locally and shared through Redis in batches
// (src/repositories/rate-limiter.ts), so it adds no round trip to a request; 429 rate_limited +
// retry-after. Ops endpoints are outside the scope and exempt.
import fp from 'fastify-plugin'
import { AppError } from '../src/errors.js'
import { principalLabel } from '../src/domain/principal.js'

export default fp(async function rateLimit (fastify) {
  const { max, windowMs } = fastify.config.rateLimit
  const limiter = fastify.repos.rateLimiter

  fastify.addHook('onRequest', function countRequest (request, reply, done) {
    const now = Date.now()
    const { count, resetAtMs } = limiter.hit(principalLabel(request.principal), now)
    const resetSeconds = Math.max(1, Math.ceil((resetAtMs - now) / 1000))
    reply.header('ratelimit-limit', max)
    reply.header('ratelimit-remaining', Math.max(0, max - count))
    reply.header('ratelimit-reset', resetSeconds)
    if (count > max) {
      done(new AppError('rate_limited', `At most ${max} requests per ${windowMs} ms; retry after ${resetSeconds} s`, {}, { 'retry-after': String(resetSeconds) }))
      return
    }
    done()
  })
}, { name: 'rate-limit', dependencies: ['config', 'repositories', 'auth'] })
