// OpenTelemetry for one app (docs/decisions/0503): a span per HTTP request, child of the caller's W3C
// traceparent, and a span per Redis operation under the request that ran it. Only plugins/tracing
// imports this module, and only when tracing is configured: with tracing off none of it is loaded.
// Nothing is registered globally (no global tracer provider, context manager or propagator), so every
// app in a process (tests build many) has its own provider, exporter and request context.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncomingHttpHeaders } from 'node:http'
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Attributes, type Context, type Tracer } from '@opentelemetry/api'
import { ExportResultCode, W3CTraceContextPropagator, hrTime, type ExportResult } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider,
  type ReadableSpan, type Sampler, type SpanExporter
} from '@opentelemetry/sdk-trace'
import {
  ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE, ATTR_NETWORK_PROTOCOL_VERSION, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_URL_SCHEME
} from '@opentelemetry/semantic-conventions'
import type { TracingConfig } from './config.js'
import type { RedisObserver } from './redis/store.js'
import { SERVICE_VERSION } from './version.js'

/** Logs a warning with its facts (the app's logger). */
export type Warn = (facts: Record<string, unknown>, message: string) => void

/** A failing exporter is reported at most this often (with the count of spans lost since). */
const EXPORT_FAILURE_REPORT_MS = 60_000

/** What a request span may say about its request: method, route template, scheme and HTTP version; never the URL. */
export interface RequestFacts {
  method: string
  /** The route template (`/v1/sessions/:id`); undefined when no route matched. */
  route: string | undefined
  scheme: string
  httpVersion: string
  headers: IncomingHttpHeaders
}

function samplerFor ({ sampler, samplerRatio }: TracingConfig): Sampler {
  let root: Sampler = new AlwaysOnSampler()
  if (sampler.endsWith('always_off')) root = new AlwaysOffSampler()
  else if (sampler.endsWith('traceidratio')) root = new TraceIdRatioBasedSampler(samplerRatio)
  return sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root
}

/**
 * Passes spans on to the exporter and reports failed exports: the first at once, then at most once per
 * EXPORT_FAILURE_REPORT_MS, so that an unreachable collector leaves a trace in the log but never floods it.
 */
class ReportingExporter implements SpanExporter {
  private lostSpans = 0
  private reportedAt = -Infinity

  constructor (private readonly exporter: SpanExporter, private readonly warn: Warn) {}

  export (spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.exporter.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.lost(spans.length, result.error)
      done(result)
    })
  }

  private lost (count: number, error: Error | undefined): void {
    this.lostSpans += count
    if (performance.now() - this.reportedAt < EXPORT_FAILURE_REPORT_MS) return
    this.reportedAt = performance.now()
    this.warn({ lost_spans: this.lostSpans, err: { message: error?.message ?? 'unknown' } },
      'tracing: spans could not be exported (reported at most once a minute)')
    this.lostSpans = 0
  }

  async shutdown (): Promise<void> {
    await this.exporter.shutdown()
  }

  async forceFlush (): Promise<void> {
    await this.exporter.forceFlush?.()
  }
}

export class RequestTracing {
  private readonly provider: TracerProvider
  private readonly tracer: Tracer
  private readonly propagator = new W3CTraceContextPropagator()
  /** The context of the request being served, for the Redis operations it runs. */
  private readonly current = new AsyncLocalStorage<Context>()

  /** `exporter` replaces the OTLP exporter (tests export to memory). */
  constructor (config: TracingConfig, warn: Warn, exporter?: SpanExporter) {
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: SERVICE_VERSION }),
      sampler: samplerFor(config),
      // Exports run in batches off the request path; the queue is bounded (2048 spans, then new ones are dropped).
      spanProcessors: [new BatchSpanProcessor({ exporter: new ReportingExporter(exporter ?? new OTLPTraceExporter({ url: config.tracesUrl }), warn) })]
    })
    this.tracer = this.provider.getTracer('sessiond', SERVICE_VERSION)
  }

  /** Starts the span of a request, continuing the caller's trace when it sent a traceparent; returns the request's context. */
  startRequest (request: RequestFacts): Context {
    const parent = this.propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter)
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: request.method,
      [ATTR_URL_SCHEME]: request.scheme,
      [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion
    }
    if (request.route !== undefined) attributes[ATTR_HTTP_ROUTE] = request.route
    const name = request.route === undefined ? request.method : `${request.method} ${request.route}`
    const span = this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes, startTime: hrTime() }, parent)
    return trace.setSpan(parent, span)
  }

  /** Runs `next` inside the request's context: what it starts, synchronously or not, belongs to the request. */
  continueRequest (context: Context, next: () => void): void {
    this.current.run(context, next)
  }

  endRequest (context: Context, statusCode: number): void {
    const span = trace.getSpan(context)
    if (span === undefined) return
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode)
    if (statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(statusCode))
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end(hrTime())
  }

  /**
   * A RedisObserver: a finished operation becomes a span under the request it ran for, from the times the
   * store measured. Operations outside a request (the sweeper, batched flushes) or of an unsampled request make none.
   */
  readonly observeRedis: RedisObserver = (operation, seconds, failed) => {
    const request = this.current.getStore()
    if (request === undefined || trace.getSpan(request)?.isRecording() !== true) return
    const end = performance.now()
    const span = this.tracer.startSpan(`redis ${operation}`, {
      kind: SpanKind.CLIENT,
      startTime: hrTime(end - seconds * 1000),
      attributes: { [ATTR_DB_SYSTEM_NAME]: 'redis', [ATTR_DB_OPERATION_NAME]: operation }
    }, request)
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end(hrTime(end))
  }

  /** Exports every finished span now. */
  async flush (): Promise<void> {
    await this.provider.forceFlush()
  }

  /** Exports what is left and stops. */
  async shutdown (): Promise<void> {
    await this.provider.shutdown()
  }
}
