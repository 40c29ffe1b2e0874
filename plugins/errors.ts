// Every error leaves as RFC 9457 problem+json: domain errors, validation, framework errors, unknown
// routes (404) and known paths called with the wrong method (405 + allow), and what Node refuses
// before routing (slow or oversized requests). 5xx hide their internals.
import fp from 'fastify-plugin'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** The 404 / 405 answer; the /v1 scope sets it as its own not-found handler, so its hooks run first. */
    answerNotFound: (request: FastifyRequest, reply: FastifyReply) => FastifyReply
  }
}
import { AppError, PROBLEM_TYPE_PREFIX, problemTable, type ProblemCode } from '../src/errors.js'
import { isRedisUnavailable, unavailableCause } from '../src/redis/unavailable.js'

interface ValidationIssue { path: string, message: string }

/** A validation problem lists at most this many issues (and says how many there were): a body with
 * 10 000 unknown fields gets a small answer, not one line per field. */
export const MAX_LISTED_ISSUES = 20

const frameworkCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_BAD_URL: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed'
}

const byStatus: Record<number, ProblemCode> = {
  400: 'validation_failed', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout',
  413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 503: 'service_unavailable'
}

/** An allowed value as a person reads it in a list: strings bare, anything else as JSON. */
const listed = (value: unknown): string => typeof value === 'string' ? value : JSON.stringify(value)

function validationIssues (err: FastifyError, max: number): ValidationIssue[] {
  const context = (err as { validationContext?: string }).validationContext ?? 'body'
  return (err.validation ?? []).slice(0, max).map((issue) => {
    const params = issue.params as Record<string, unknown>
    const extra = typeof params.additionalProperty === 'string'
      ? `/${params.additionalProperty}`
      : typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : ''
    const message = typeof params.additionalProperty === 'string'
      ? 'is not a known field'
      : Array.isArray(params.allowedValues) ? `must be one of ${params.allowedValues.map(listed).join(', ')}` : issue.message ?? 'is invalid'
    return { path: `${context}${issue.instancePath}${extra}`, message }
  })
}

export interface ProblemDocument {
  type: string, title: string, status: number, detail: string, code: string, request_id: string, [member: string]: unknown
}

export function problemFor (code: ProblemCode, detail: string, requestId: string, extensions: Record<string, unknown> = {}): ProblemDocument {
  const { status, title } = problemTable[code]
  return { type: `${PROBLEM_TYPE_PREFIX}${code}`, title, status, detail, code, request_id: requestId, ...extensions }
}

export function sendProblem (reply: FastifyReply, problem: ProblemDocument, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(problem.status).headers(headers).type('application/problem+json').send(problem)
}

function toProblem (err: FastifyError | AppError | Error, request: FastifyRequest): { problem: ProblemDocument, headers: Record<string, string> } {
  if (err instanceof AppError) {
    return { problem: problemFor(err.code, err.message, request.id, err.extensions), headers: err.headers }
  }
  const fe = err as FastifyError
  if (fe.validation !== undefined) {
    const total = fe.validation.length
    const errors = validationIssues(fe, MAX_LISTED_ISSUES)
    const more = total > errors.length ? `; and ${total - errors.length} more` : ''
    const detail = errors.map((e) => `${e.path} ${e.message}`).join('; ') + more
    return { problem: problemFor('validation_failed', detail, request.id, { errors, errors_total: total }), headers: {} }
  }
  if (isRedisUnavailable(err)) {
    return { problem: problemFor('redis_unavailable', 'Session storage is unavailable; retry shortly', request.id), headers: { 'retry-after': '1' } }
  }
  const code = (fe.code !== undefined ? frameworkCodes[fe.code] : undefined) ??
    (typeof fe.statusCode === 'number' && fe.statusCode < 500 ? byStatus[fe.statusCode] ?? 'validation_failed' : undefined)
  if (code !== undefined) {
    const detail = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'Body is not valid JSON' : err.message
    return { problem: problemFor(code, detail, request.id), headers: {} }
  }
  return { problem: problemFor('internal_error', 'An unexpected error occurred', request.id), headers: {} }
}

/**
 * For Fastify's `frameworkErrors` option. A malformed URL (`%ZZ`, an over-long parameter) is refused
 * before routing, so no hook runs: `headers` are what the hooks would have set, and no-store (an
 * error is never worth caching, whichever path it came from).
 */
export function frameworkErrorHandler (headers: Readonly<Record<string, string>>) {
  return function frameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    sendProblem(reply, problemFor('validation_failed', err.message, request.id), { ...headers, 'x-request-id': request.id, 'cache-control': 'no-store' })
  }
}

/**
 * For Fastify's `clientErrorHandler` option. What Node refuses before a request reaches Fastify — headers
 * or body slower than the timeouts, headers too large, bytes that are not HTTP — still answers
 * problem+json (with `headers`, the ones every response carries), then the connection closes.
 */
export function clientErrorHandler (headers: Readonly<Record<string, string>>) {
  return function clientError (err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return
    // A response already under way cannot be replaced.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (socket.writable && inFlight?.headersSent !== true) {
      const code: ProblemCode = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : err.code === 'HPE_HEADER_OVERFLOW' ? 'request_headers_too_large' : 'validation_failed'
      const detail = code === 'request_timeout'
        ? 'The request did not arrive in time'
        : code === 'request_headers_too_large' ? 'The request headers are too large' : 'The request is not valid HTTP'
      const requestId = randomUUID()
      const body = JSON.stringify(problemFor(code, detail, requestId))
      const head = { ...headers, 'x-request-id': requestId, 'content-type': 'application/problem+json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' }
      const status = problemTable[code].status
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`)
    }
    socket.destroy()
  }
}

const METHODS: HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

export default fp(async function errors (fastify) {
  // A shadow router of every registered route, to tell "unknown path" (404) from "wrong method" (405).
  const routes = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 256 })
  fastify.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method).filter((m) => METHODS.includes(m as HTTPMethod)) as HTTPMethod[]
    for (const method of methods) {
      if (routes.find(method, route.url) === null) routes.on(method, route.url, () => {})
    }
  })

  fastify.setErrorHandler(function handleError (err: FastifyError, request, reply) {
    const { problem, headers } = toProblem(err, request)
    if (problem.status >= 500 && problem.code !== 'redis_unavailable') request.log.error({ err }, 'request failed')
    // One compact line that says why: timeout, refused, cluster_down … and the client's own words.
    else if (problem.status >= 500) request.log.warn(unavailableCause(err), 'redis unavailable')
    return sendProblem(reply, problem, headers)
  })

  function answerNotFound (request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const path = request.url.split('?')[0] ?? '/'
    // A preflight (CORS off, or an origin it refuses) is a request for an unknown route, never a 405.
    const allowed = request.method === 'OPTIONS' ? [] : METHODS.filter((m) => routes.find(m, path) !== null)
    if (allowed.length > 0) {
      const allow = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed
      return sendProblem(reply, problemFor('method_not_allowed', `${request.method} is not allowed here`, request.id), { allow: allow.join(', ') })
    }
    return sendProblem(reply, problemFor('not_found', `No route ${request.method} ${path}`, request.id))
  }
  fastify.decorate('answerNotFound', answerNotFound)
  fastify.setNotFoundHandler(answerNotFound)
}, { name: 'errors' })
