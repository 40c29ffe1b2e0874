// A whole-request deadline for Redis (contract §1, docs/decisions/0404), registered inside the /v1
// scope after auth: before a route's handler runs, its Access gets a deadline REDIS_COMMAND_TIMEOUT_MS
// + 100 ms away, and every Redis call the repositories make for the request ends by it (RedisStore.call),
// however many commands the request needs. The clock starts once the body is in: a slow upload is the
// client's time. A route whose work outlives the request (an event stream) opts out with
// `config: { redisDeadline: false }` and bounds its own reads.
import fp from 'fastify-plugin'
import type { preHandlerHookHandler } from 'fastify'
import { until } from '../src/domain/access.js'
import { REQUEST_DEADLINE_SLACK_MS } from '../src/deadline.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route's Redis calls get no request deadline (long-lived responses). */
    redisDeadline?: boolean
  }
}

export default fp(async function deadline (fastify) {
  const budgetMs = fastify.config.redis.commandTimeoutMs + REQUEST_DEADLINE_SLACK_MS

  const setDeadline: preHandlerHookHandler = function setDeadline (request, _reply, done) {
    request.access = until(request.access, performance.now() + budgetMs)
    done()
  }

  // Per route, decided once when it is registered: nothing to look up per request.
  fastify.addHook('onRoute', (route) => {
    if (route.config?.redisDeadline === false) return
    const own = route.preHandler === undefined ? [] : ([] as preHandlerHookHandler[]).concat(route.preHandler as preHandlerHookHandler | preHandlerHookHandler[])
    route.preHandler = [setDeadline, ...own]
  })
}, { name: 'deadline', dependencies: ['config', 'auth'] })
