// Requests derived from the generated OpenAPI document, for the tests that must cover every /v1 route,
// including routes added later: the security test (every operation refuses every bad credential) and
// the fuzz test (no input makes any operation answer 5xx or a non-problem error, nor anything its
// documentation does not announce).
import fc from 'fast-check'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import FindMyWay, { type HTTPMethod } from 'find-my-way'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

type Schema = Record<string, any>
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface Parameter { name: string, in: 'path' | 'query' | 'header', required: boolean, schema: Schema }

export interface Operation {
  method: Method
  /** The OpenAPI path template, e.g. /v1/sessions/{id}/steps/{n}. */
  path: string
  parameters: Parameter[]
  body?: { contentType: string, schema: Schema }
  /** The success response is a never-ending stream (Server-Sent Events). */
  streams: boolean
  label: string
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])

/** Follows local $refs (#/components/…) and inlines them, so schemas stand alone. */
export function dereference (doc: Schema, schema: unknown, seen: Set<string> = new Set()): any {
  if (Array.isArray(schema)) return schema.map((item) => dereference(doc, item, seen))
  if (schema === null || typeof schema !== 'object') return schema
  const ref = (schema as Schema).$ref
  if (typeof ref === 'string' && ref.startsWith('#/') && !seen.has(ref)) {
    const target = ref.slice(2).split('/').reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    return dereference(doc, target, new Set([...seen, ref]))
  }
  const out: Schema = {}
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'examples' ? value : dereference(doc, value, seen)
  return out
}

/** Every /v1 operation of the document. */
export function apiOperations (doc: Schema): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    if (!path.startsWith('/v1')) continue
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!METHODS.has(method)) continue
      const resolved = dereference(doc, op)
      const content = Object.entries<Schema>(resolved.requestBody?.content ?? {})[0]
      const success = Object.entries<Schema>(resolved.responses ?? {}).filter(([status]) => status.startsWith('2'))
      operations.push({
        method: method.toUpperCase() as Method,
        path,
        parameters: (resolved.parameters ?? []).map((p: Schema) => ({ name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {} })),
        body: content === undefined ? undefined : { contentType: content[0], schema: content[1].schema ?? {} },
        streams: success.some(([, response]) => Object.keys(response.content ?? {}).some((type) => type.startsWith('text/event-stream'))),
        label: `${method.toUpperCase()} ${path}`
      })
    }
  }
  return operations
}

export interface ArbitraryOptions {
  /** Fixed values for object properties with these names (e.g. user_id → the owner under test). */
  properties?: Record<string, fc.Arbitrary<unknown>>
}

const smallJson = fc.jsonValue({ maxDepth: 2 })

/** Values of a JSON schema: valid ones mostly, as far as the keywords here go. */
export function schemaArbitrary (schema: Schema, options: ArbitraryOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 5) return fc.constant(null)
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum)
  if ('const' in schema) return fc.constant(schema.const)
  for (const combinator of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[combinator]) && schema[combinator].length > 0) {
      return fc.oneof(...schema[combinator].map((s: Schema) => schemaArbitrary(s, options, depth + 1)))
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return schemaArbitrary(Object.assign({}, ...schema.allOf), options, depth + 1)
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => schemaArbitrary({ ...schema, type }, options, depth + 1)))
  switch (schema.type) {
    case 'string': return stringArbitrary(schema)
    case 'integer': return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 })
    case 'number': return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true })
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': return fc.array(schemaArbitrary(schema.items ?? {}, options, depth + 1), {
      minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4))
    })
    case 'object': return objectArbitrary(schema, options, depth)
    default: return smallJson
  }
}

function stringArbitrary (schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = schema.maxLength ?? 64
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
  if (schema.format === 'email') return fc.emailAddress()
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max)
  }
  return fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 64)) })
}

function objectArbitrary (schema: Schema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries<Schema>(schema.properties ?? {})
  if (properties.length === 0 && schema.additionalProperties !== false) {
    // A map: values from additionalProperties or the (first) patternProperties schema, else any JSON.
    const [pattern, values] = Object.entries<Schema>(schema.patternProperties ?? {})[0] ?? []
    const valueSchema = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : values
    const keys = pattern === undefined ? fc.string({ maxLength: 12 }) : stringArbitrary({ pattern, maxLength: 12 })
    return fc.dictionary(keys, valueSchema === undefined ? smallJson : schemaArbitrary(valueSchema, options, depth + 1), { maxKeys: 4 })
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, property] of properties) model[name] = options.properties?.[name] ?? schemaArbitrary(property, options, depth + 1)
  const required: string[] = schema.required ?? []
  return fc.record(model, { requiredKeys: required.filter((name) => name in model) }).map((value) => ({ ...value }))
}

function makeAjv (): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true })
  addFormats(ajv)
  return ajv
}
const ajv = makeAjv()

/** A value that satisfies `schema` (drawn deterministically from schemaArbitrary), or throws. */
export function validSample (schema: Schema, options: ArbitraryOptions = {}, label = 'schema'): unknown {
  const validate = ajv.compile(schema)
  const candidates = fc.sample(schemaArbitrary(schema, options), { numRuns: 300, seed: 42 })
  // Prefer the smallest valid value: plausible and cheap.
  const valid = candidates.filter((value) => validate(value)).sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)
  if (valid.length === 0) throw new Error(`no valid sample for ${label}: ${JSON.stringify(schema)}`)
  return valid[0]
}

/** A URL for the operation: path values substituted (already encoded by the caller when raw), plus a query. */
export function urlFor (operation: Operation, pathValues: Record<string, string>, query: Record<string, unknown> = {}, encode = true): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = pathValues[name] ?? ''
    return encode ? encodeURIComponent(value) : value
  })
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.append(name, typeof value === 'string' ? value : JSON.stringify(value))
  }
  const qs = search.toString()
  return qs === '' ? path : `${path}?${qs}`
}

/** The body as sent on the wire for the operation's content type. */
export function encodeBody (contentType: string, value: unknown): string {
  if (contentType.includes('ndjson')) return (Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(v)).join('\n') + '\n'
  if (contentType.includes('json')) return JSON.stringify(value)
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export interface Sent { status: number, headers: Record<string, unknown>, body: string }

/** app.inject that also copes with streaming responses (an event stream is closed once its head arrives). */
export async function send (app: FastifyInstance, request: {
  method: Method, url: string, headers?: Record<string, string>, payload?: string
}): Promise<Sent> {
  const response = await app.inject({ ...request, payloadAsStream: true })
  const stream = response.stream()
  const headers = response.headers as Record<string, unknown>
  if (String(headers['content-type'] ?? '').startsWith('text/event-stream')) {
    // Hang up as a client would: the server side sees its request and response close.
    stream.destroy()
    const res = response.raw.res
    res.req?.emit('close')
    res.emit('close')
    return { status: response.statusCode, headers, body: '' }
  }
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return { status: response.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') }
}

/** null when `sent` is a well-formed problem+json document for its status; else what is wrong. */
export function problemDefect (sent: Sent): string | null {
  const type = String(sent.headers['content-type'] ?? '')
  if (!type.startsWith('application/problem+json')) return `content-type ${type}`
  let body: any
  try { body = JSON.parse(sent.body) } catch { return 'body is not JSON' }
  if (typeof body?.code !== 'string' || body.status !== sent.status || typeof body.type !== 'string' || typeof body.title !== 'string') {
    return `not a problem document: ${sent.body.slice(0, 200)}`
  }
  return null
}

/** Headers whose presence on a response the document must announce (the ones routes send themselves). */
const ANNOUNCED_HEADERS = ['etag', 'location', 'idempotent-replayed', 'retry-after', 'www-authenticate']

/**
 * Checks responses against the document: for the operation a request reaches (found as the router finds
 * it; requests that reach none are skipped), the status must be documented, a problem's code must be in
 * that status's `code` enum, and the headers a route sends must be documented on that response.
 */
export function conformance (doc: Schema): (method: Method, url: string, sent: Sent) => string | null {
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 256 })
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!METHODS.has(method)) continue
      router.on(method.toUpperCase() as HTTPMethod, path.replace(/\{([^}]+)\}/g, ':$1'), () => {}, { path, op })
    }
  }
  return (method, url, sent) => {
    let found: ReturnType<typeof router.find>
    // The path as the server receives it: dot segments resolved, as clients (and inject) do.
    try { found = router.find(method, new URL(url, 'http://localhost').pathname) } catch { return null }
    if (found === null) return null
    const { path, op } = found.store as { path: string, op: Schema }
    const label = `${method} ${path} → ${sent.status}`
    const documented = op.responses?.[String(sent.status)]
    if (documented === undefined) return `${label}: status not documented`
    const response = dereference(doc, documented)
    const problem = response.content?.['application/problem+json']
    if (problem !== undefined) {
      const codes: string[] = problem.schema?.allOf?.[1]?.properties?.code?.enum ?? []
      let code: unknown
      try { code = JSON.parse(sent.body).code } catch { return `${label}: not JSON` }
      if (!codes.includes(code as string)) return `${label}: code ${String(code)} not in [${codes.join(', ')}]`
    }
    const missing = ANNOUNCED_HEADERS.filter((name) => sent.headers[name] !== undefined && response.headers?.[name] === undefined)
    return missing.length > 0 ? `${label}: header ${missing.join(', ')} not documented` : null
  }
}
