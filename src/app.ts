// buildApp(config): the Fastify instance with the TypeBox provider; plugins, then routes, in a visible order.
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { SpanExporter } from '@opentelemetry/sdk-trace'
import type { Config } from './config.js'
import { lazyChildLoggerFactory } from './lazy-logger.js'
import { buildSerializer } from './serializer-compiler.js'
import type { RedisClient } from './redis/client.js'
import configPlugin from '../plugins/config.js'
import tracing from '../plugins/tracing.js'
import validation from '../plugins/validation.js'
import errors, { clientErrorHandler, frameworkErrorHandler } from '../plugins/errors.js'
import requestContext, { requestIdFor } from '../plugins/request-context.js'
import securityHeaders, { SECURITY_HEADERS } from '../plugins/security-headers.js'
import noStore from '../plugins/no-store.js'
import versionedReplies from '../plugins/versioned-replies.js'
import jsonTextReplies from '../plugins/json-text-replies.js'
import metrics from '../plugins/metrics.js'
import redis from '../plugins/redis.js'
import repositories from '../plugins/repositories.js'
import liveSessionsMetric from '../plugins/live-sessions-metric.js'
import health from '../plugins/health.js'
import changes from '../plugins/changes.js'
import expiry from '../plugins/expiry.js'
import eventStreams from '../plugins/event-streams.js'
import swagger from '../plugins/swagger.js'
import auth from '../plugins/auth.js'
import rateLimit from '../plugins/rate-limit.js'
import audit from '../plugins/audit.js'
import idempotency from '../plugins/idempotency.js'
import deadline from '../plugins/deadline.js'
import cors from '../plugins/cors.js'
import sessionRoutes from '../routes/sessions.js'
import userRoutes from '../routes/users.js'
import stepRoutes from '../routes/steps.js'
import progressRoutes from '../routes/progress.js'
import finalizeRoutes from '../routes/finalize.js'
import finalizedRoutes from '../routes/finalized.js'
import narrativeRoutes from '../routes/narrative.js'
import sceneRoutes from '../routes/scenes.js'
import choiceRoutes from '../routes/choices.js'
import messageRoutes from '../routes/messages.js'
import userProgressRoutes from '../routes/user-progress.js'
import eventRoutes from '../routes/events.js'
import auditRoutes from '../routes/audit.js'
import resultRoutes from '../routes/result.js'
import redisHealthRoutes from '../routes/admin-redis.js'
import statsRoutes from '../routes/admin-stats.js'
import backupRoutes from '../routes/admin-backup.js'

export interface BuildOptions {
  /** A Redis client to use instead of creating one from config (tests, tools). */
  redisClient?: RedisClient
  /** false: register everything without connecting to Redis (OpenAPI generation). */
  connectRedis?: boolean
  /** A pino destination stream for the logs (tests capture them). */
  logStream?: NodeJS.WritableStream
  /** More routes inside the /v1 scope, passing every /v1 hook (tests). */
  apiRoutes?: FastifyPluginAsync
  /** Trace into this exporter, whatever the config says (tests read spans from memory). */
  traceExporter?: SpanExporter
}

/** Log redaction: credentials and message content never reach the log (contract §12). */
const SECRET_FIELDS = ['password', 'token', 'secret', 'content', 'authorization', 'apiKey', 'api_key']
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'req.headers["idempotency-key"]',
  // pino's `*` matches one level: list the fields at the top level and one level down.
  ...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)
]

/** Trust the nearest `hops` proxies (Fastify accepts a number at runtime; its types want a function). */
const trustHops = (hops: number) => (_address: string, hop: number): boolean => hop < hops

export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(options.logStream !== undefined ? { stream: options.logStream } : {})
    },
    // One access-log line per request comes from plugins/request-context instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    childLoggerFactory: lazyChildLoggerFactory,
    requestIdHeader: false,
    genReqId: requestIdFor,
    bodyLimit: config.bodyLimitBytes,
    // Slow clients (contract §1, docs/decisions/0601): Node's timers on receiving a request, checked every
    // second; a response (an event stream) is never cut. Fastify sets server.requestTimeout itself.
    requestTimeout: config.timeouts.requestMs,
    http: { headersTimeout: config.timeouts.headersMs, requestTimeout: config.timeouts.requestMs, connectionsCheckingInterval: 1000 },
    clientErrorHandler: clientErrorHandler(SECURITY_HEADERS),
    // Behind an ingress, the client address (rate limits of anonymous callers) comes from x-forwarded-for.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { maxParamLength: 256 },
    // While draining, requests on open keep-alive connections are served (with connection: close), and
    // /health/ready answers 503 through app.lifecycle; Fastify's shortcut would answer a non-problem 503.
    return503OnClosing: false,
    schemaController: { compilersFactory: { buildSerializer } },
    frameworkErrors: frameworkErrorHandler(SECURITY_HEADERS)
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Plugins that apply everywhere, each wrapped with fastify-plugin.
  await app.register(configPlugin, { config })
  // First after the config: its hooks (when tracing is on) must run before every other.
  await app.register(tracing, { exporter: options.traceExporter })
  await app.register(validation)
  await app.register(errors)
  await app.register(requestContext)
  await app.register(securityHeaders)
  // Before any route, so that every route lands in the OpenAPI document.
  await app.register(swagger)
  await app.register(metrics)
  await app.register(redis, { client: options.redisClient, connect: options.connectRedis })
  await app.register(changes)
  await app.register(repositories)
  await app.register(liveSessionsMetric)
  await app.register(health)
  await app.register(expiry)
  await app.register(eventStreams)

  // The API: everything under /v1, with the concerns of an API request as hooks of this scope only.
  // The router decides what is an API request: ops endpoints never pass these hooks, and unknown /v1
  // paths do (through the scope's own not-found handler).
  await app.register(async (v1) => {
    // First in the scope: preflights end in its onRequest hook, before anything else of /v1 runs.
    await v1.register(cors)
    await v1.register(noStore)
    await v1.register(versionedReplies)
    await v1.register(jsonTextReplies)
    await v1.register(auth)
    // After auth: counts per principal, and anonymous callers by IP before auth refuses them.
    await v1.register(rateLimit)
    await v1.register(audit)
    await v1.register(idempotency)
    // Before the routes: each route's handler runs with its request's Redis deadline set.
    await v1.register(deadline)
    v1.setNotFoundHandler(app.answerNotFound)

    await v1.register(sessionRoutes)
    await v1.register(userRoutes)
    await v1.register(stepRoutes)
    await v1.register(progressRoutes)
    await v1.register(finalizeRoutes)
    await v1.register(resultRoutes)
    await v1.register(narrativeRoutes)
    await v1.register(sceneRoutes)
    await v1.register(choiceRoutes)
    await v1.register(messageRoutes)
    await v1.register(userProgressRoutes)
    await v1.register(eventRoutes)
    if (options.apiRoutes !== undefined) await v1.register(options.apiRoutes)
    await v1.register(async (admin) => {
      admin.addHook('onRequest', v1.requireAdmin)
      await admin.register(finalizedRoutes)
      await admin.register(auditRoutes)
      await admin.register(redisHealthRoutes)
      await admin.register(statsRoutes)
      await admin.register(backupRoutes)
    }, { prefix: '/admin' })
  }, { prefix: '/v1' })

  return app
}
