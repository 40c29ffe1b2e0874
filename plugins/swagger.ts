// The OpenAPI 3.1 document, generated from the route schemas, plus Swagger UI at /docs and the raw
// document at /openapi.json and /openapi.yaml (those three are not part of the document).
// The route schemas say what each operation answers; publish() below only arranges the document:
// shared headers and problem responses become components, and the headers every response carries are
// added once here (docs/decisions/0607).
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyRequest } from 'fastify'
import { Document, Scalar, visit } from 'yaml'
import { SERVICE_VERSION as version } from '../src/version.js'
import { Problem, ResponseHeaders } from '../schemas/common.js'
import { Session } from '../schemas/session.js'
import { Progress } from '../schemas/summary.js'

/** The Content-Security-Policy of Swagger UI at /docs. */
export const DOCS_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'"

/** Every tag a route uses, each with what it groups (test/openapi.test.ts: no route uses another). */
export const TAGS = [
  { name: 'sessions', description: 'Create, read, change and delete sessions; the state machine, versions and expiry.' },
  { name: 'steps', description: 'Onboarding steps and progress: save, read, list and remove steps; progress updates atomically with them.' },
  { name: 'finalize', description: 'Complete a session and store its result, once.' },
  { name: 'narrative', description: 'Narrative contexts with their own expiry, and the histories of scenes entered and choices made.' },
  { name: 'messages', description: 'Chat history: append, page through and clear messages, numbered per session.' },
  { name: 'events', description: 'Live session events as Server-Sent Events, resumable by the last event id.' },
  { name: 'users', description: "A user's sessions across the service, erasure of everything of theirs, and progress snapshots." },
  { name: 'admin', description: 'Operator views: Redis diagnostics, session stats, backup and restore, the audit trail and the stream of finalized sessions. Admin API keys only.' },
  { name: 'operations', description: 'Probes and metrics for the platform; no credentials needed.' }
]

/** Where clients find the service: one server whose origin they fill in (docs/decisions/0607). */
const SERVERS = [{
  url: '{origin}',
  description: 'A sessiond deployment',
  variables: { origin: { default: 'http://localhost:8080', description: 'Scheme, host and port of the deployment, without a trailing slash' } }
}]

/** Every /v1 response carries these, from the rate limiter (plugins/rate-limit.ts). */
const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']

const PROBLEM_MEDIA = 'application/problem+json'

type Json = Record<string, any>

function optionalDefaults (schema: Json): any {
  const query = schema?.querystring
  if (query?.properties === undefined || !Array.isArray(query.required)) return schema
  const required = query.required.filter((name: string) => query.properties[name]?.default === undefined)
  return { ...schema, querystring: { ...query, required } }
}

/** snake_case codes → a component name: session_not_found + step_not_found → SessionNotFoundOrStepNotFound. */
const responseName = (codes: string[]): string =>
  codes.map((code) => code.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')).join('Or')

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Arranges the generated document: the response headers of schemas/common.ts become components.headers
 * (x-request-id on every response, ratelimit-* on every /v1 response); every problem response becomes a
 * components.responses entry named after its codes, which operations answering the same codes share;
 * a request body whose schema has a default is optional.
 */
function publish (doc: Json): Json {
  const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` })
  const headers: Json = {}
  for (const [name, { description, ...schema }] of Object.entries<Json>(ResponseHeaders)) {
    headers[name] = { description, ...(name === 'x-request-id' ? { required: true } : {}), schema }
  }
  const responses: Json = {}

  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    const api = path.startsWith('/v1/')
    for (const operation of Object.values<Json>(item)) {
      const body = Object.values<Json>(operation.requestBody?.content ?? {})[0]
      if (body?.schema?.default !== undefined) operation.requestBody.required = false
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
        const named = Object.keys(response.headers ?? {})
        const wanted = [...named, 'x-request-id', ...(api ? RATE_LIMIT_HEADERS : [])]
        response.headers = Object.fromEntries(wanted.map((name) => [name, name in headers ? headerRef(name) : response.headers[name]]))
        const problem = response.content?.[PROBLEM_MEDIA]
        if (problem === undefined) continue
        if (!api) throw new Error(`${path}: problem responses are documented on /v1 routes only`)
        const codes: string[] = problem.schema.allOf[1].properties.code.enum
        const name = responseName(codes)
        if (responses[name] !== undefined && !sameJson(responses[name], response)) throw new Error(`${path} ${status}: two different responses for ${codes.join(', ')}`)
        responses[name] = response
        operation.responses[status] = { $ref: `#/components/responses/${name}` }
      }
    }
  }
  doc.components = { ...doc.components, headers, responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))) }
  return doc
}

/** The document for Swagger UI at /docs: the server is the origin the page came from, so "Try it out" works there. */
function forThisOrigin (doc: Readonly<Json>, request: FastifyRequest): Json {
  return { ...doc, servers: [{ url: `${request.protocol}://${request.host}`, description: 'This deployment' }] }
}

/**
 * The document as YAML without anchors and aliases, long lines unfolded, and date-time strings quoted
 * (a YAML 1.1 parser would read them as timestamps): plain for people and for every tool.
 */
function toYaml (doc: unknown): string {
  const yaml = new Document(doc, { aliasDuplicateObjects: false })
  visit(yaml, {
    Scalar (_key, node) {
      if (typeof node.value === 'string' && /^\d{4}-\d\d-\d\d/.test(node.value)) node.type = Scalar.QUOTE_DOUBLE
    }
  })
  return yaml.toString({ lineWidth: 0 })
}

export default fp(async function openapi (fastify) {
  fastify.addSchema(Problem)
  fastify.addSchema(Session)
  fastify.addSchema(Progress)

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sessiond',
        version,
        description: 'Redis-backed session service: sessions, onboarding steps, narrative, chat history and events.\n\n' +
          'Every `/v1` call needs `authorization: Bearer <API key or end-user JWT>`. Errors are RFC 9457 ' +
          '`application/problem+json` documents whose `code` each operation lists; what each code means and what ' +
          'to do about it is in docs/errors.md. Send `if-match` with the `etag` you read to change only that version.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' }
      },
      servers: SERVERS,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key or end-user JWT' } } },
      tags: TAGS
    },
    // A query parameter with a default is optional for clients, even though the handler always sees it.
    transform: ({ schema, url }) => ({ schema: optionalDefaults(schema as Json), url }),
    transformObject: (document) => publish((document as { openapiObject: Json }).openapiObject),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`)
    }
  })
  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    // Its own CSP, for /docs only (the API keeps default-src 'none'). Swagger UI applies inline styles;
    // no inline script, nothing from other hosts, no online validator (docs/decisions/0604).
    staticCSP: DOCS_CSP,
    uiConfig: { validatorUrl: null },
    transformSpecificationClone: false,
    transformSpecification: (doc, request) => forThisOrigin(doc, request)
  })

  const hidden = { schema: { hide: true } }
  let yaml: string | undefined
  fastify.get('/openapi.json', hidden, async () => fastify.swagger())
  fastify.get('/openapi.yaml', hidden, async (_request, reply) => {
    yaml ??= toYaml(fastify.swagger())
    return await reply.type('application/yaml').send(yaml)
  })
}, { name: 'swagger' })
