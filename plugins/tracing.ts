// OpenTelemetry tracing (docs/decisions/0503). Off unless an OTLP endpoint is configured, and then
// nothing of OpenTelemetry is loaded and no hook is added: the request path is exactly as without this
// plugin. On: a span per request, named by its route template and continuing an incoming traceparent,
// and (through plugins/redis) a span per Redis operation under it. Decorates `tracing` (null when off).
import fp from 'fastify-plugin'
import type { Context } from '@opentelemetry/api'
import type { SpanExporter } from '@opentelemetry/sdk-trace'
import type { RequestTracing } from '../src/tracing.js'
import { withDeadline } from '../src/deadline.js'

declare module 'fastify' {
  interface FastifyInstance { tracing: RequestTracing | null }
  interface FastifyRequest {
    /** The request's trace context (tracing on only). */
    traceContext?: Context
  }
}

export interface TracingPluginOptions {
  /** Spans go here instead of to the OTLP endpoint, and tracing is on even without one (tests). */
  exporter?: SpanExporter
}

/** On close the last spans get this long to leave; a dead collector never holds up a shutdown longer. */
const FINAL_EXPORT_MS = 2000

export default fp<TracingPluginOptions>(async function tracing (fastify, options) {
  const settings = fastify.config.tracing
  if (settings.tracesUrl === undefined && options.exporter === undefined) {
    fastify.decorate('tracing', null)
    return
  }
  const { RequestTracing } = await import('../src/tracing.js')
  const tracer = new RequestTracing(settings, (facts, message) => fastify.log.warn(facts, message), options.exporter)
  fastify.decorate('tracing', tracer)
  fastify.decorateRequest('traceContext', undefined)
  if (settings.tracesUrl !== undefined) {
    const { origin, pathname } = new URL(settings.tracesUrl)
    fastify.log.info({ traces_url: `${origin}${pathname}`, sampler: settings.sampler, service_name: settings.serviceName }, 'OpenTelemetry tracing on')
  }

  // Registered before every other plugin, so these run first: every later hook and the handler run in the request's context.
  fastify.addHook('onRequest', function startTrace (request, _reply, done) {
    const context = tracer.startRequest({
      method: request.method,
      route: request.routeOptions.url,
      scheme: request.protocol,
      httpVersion: request.raw.httpVersion,
      headers: request.headers
    })
    request.traceContext = context
    tracer.continueRequest(context, done)
  })
  // A request body is read in the socket's own async context: take the request's back before validation.
  fastify.addHook('preValidation', function resumeTrace (request, _reply, done) {
    if (request.traceContext === undefined) done()
    else tracer.continueRequest(request.traceContext, done)
  })
  fastify.addHook('onResponse', function endTrace (request, reply, done) {
    if (request.traceContext !== undefined) tracer.endRequest(request.traceContext, reply.statusCode)
    done()
  })

  fastify.addHook('onClose', async () => {
    await withDeadline(FINAL_EXPORT_MS, tracer.shutdown(), 'export the last spans')
      .catch((err: Error) => fastify.log.warn({ err: { message: err.message } }, 'tracing: the last spans were not exported'))
  })
}, { name: 'tracing', dependencies: ['config'] })
