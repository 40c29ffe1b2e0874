// Limits (contract §1, §11): body size, bounded strings, arrays and objects in every request schema,
// page size at most 200, unknown fields rejected. The document-driven checks cover routes added later.
import t from 'tap'
import { adminKey, authEnv, bearer, buildTestApp, createSession, json, serviceKey } from './helper.js'
import { apiOperations, send, urlFor, validSample } from './openapi-cases.js'

const service = bearer(serviceKey)

t.test('a body over BODY_LIMIT_BYTES is a 413 payload_too_large problem and stores nothing', async (t) => {
  const { app, allKeys } = await buildTestApp(t, { ...authEnv, BODY_LIMIT_BYTES: '2048' })
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload: { user_id: 'u1', metadata: { blob: 'x'.repeat(4096) } } })
  t.equal(response.statusCode, 413)
  t.match(json(response), { code: 'payload_too_large', status: 413 })
  t.same(await allKeys(), [])
  t.equal((await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload: { user_id: 'u1', metadata: { blob: 'x'.repeat(1024) } } })).statusCode, 201, 'a body under the limit passes')
})

t.test('the default body limit is 1 MiB', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: { ...service, 'content-type': 'application/json' }, payload: JSON.stringify({ user_id: 'u1', metadata: { blob: 'x'.repeat(1_048_576) } }) })
  t.equal(response.statusCode, 413)
})

t.test('unknown fields in bodies and queries are rejected, never silently dropped', async (t) => {
  const { app, allKeys } = await buildTestApp(t, authEnv)
  const body = await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload: { user_id: 'u1', colour: 'red' } })
  t.equal(body.statusCode, 400)
  t.match(json(body).errors, [{ path: 'body/colour', message: 'is not a known field' }])
  t.same(await allKeys(), [], 'nothing stored')
  const created = await createSession(app, { user_id: 'u1' }, service)
  const query = await app.inject({ url: `/v1/sessions/${created.id}?touch=false&colour=red`, headers: service })
  t.equal(query.statusCode, 400)
  t.equal(json(query).code, 'validation_failed')
})

t.test('a body with 10 000 unknown fields gets a small answer: 20 problems listed, and how many there were', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const payload: Record<string, unknown> = { user_id: 'u1' }
  for (let i = 0; i < 10_000; i++) payload[`field_${i}`] = i
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload })
  t.equal(response.statusCode, 400)
  const problem = json(response)
  t.equal(problem.errors.length, 20, 'at most 20 listed')
  t.equal(problem.errors_total, 10_000, 'with the total count')
  t.match(problem.detail, /; and 9980 more$/)
  t.ok(response.body.length < 4096, `the answer is ${response.body.length} bytes`)
  const one = json(await app.inject({ method: 'POST', url: '/v1/sessions', headers: service, payload: { user_id: 'u1', colour: 'red' } }))
  t.equal(one.errors_total, 1, 'a single problem is counted too')
})

/** What a request schema fails to bound, if anything (strings, arrays, free objects). */
function unbounded (schema: any, at: string): string[] {
  if (schema === null || typeof schema !== 'object') return []
  const found: string[] = []
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, sub] of (schema[key] ?? []).entries()) found.push(...unbounded(sub, `${at}/${key}/${i}`))
  }
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type]
  const fixed = Array.isArray(schema.enum) || 'const' in schema
  if (types.includes('string') && !fixed && schema.maxLength === undefined && !boundedPattern(schema.pattern) && schema.format !== 'date-time') {
    found.push(`${at}: string without maxLength`)
  }
  if (types.includes('array')) {
    if (schema.maxItems === undefined) found.push(`${at}: array without maxItems`)
    found.push(...unbounded(schema.items, `${at}/items`))
  }
  if (types.includes('object')) {
    const capped = schema['x-max-bytes'] !== undefined || schema.maxProperties !== undefined
    if (schema.additionalProperties !== false && !capped) found.push(`${at}: open object without x-max-bytes`)
    if (!capped) {
      for (const [name, property] of Object.entries<any>(schema.properties ?? {})) found.push(...unbounded(property, `${at}/${name}`))
      if (typeof schema.additionalProperties === 'object') found.push(...unbounded(schema.additionalProperties, `${at}/*`))
    }
  }
  return found
}

/** A pattern anchored at both ends with only bounded repetition ({n} or {m,n}). */
function boundedPattern (pattern: unknown): boolean {
  if (typeof pattern !== 'string' || !pattern.startsWith('^') || !pattern.endsWith('$')) return false
  const bare = pattern.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x')
  return !/[*+]|\{\d+,\}/.test(bare)
}

t.test('every request body, query, header and path parameter in the document is bounded', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const operations = apiOperations(app.swagger() as any)
  for (const operation of operations) {
    const found = [
      ...(operation.body === undefined ? [] : unbounded(operation.body.schema, 'body')),
      ...operation.parameters.flatMap((p) => unbounded(p.schema, `${p.in}/${p.name}`))
    ]
    t.same(found, [], operation.label)
  }
})

t.test('every paginated operation caps limit at 200: 201 and 0 are 400', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const operations = apiOperations(app.swagger() as any).filter((op) => op.parameters.some((p) => p.in === 'query' && p.name === 'limit'))
  t.ok(operations.length >= 1, `${operations.length} paginated operations`)
  const session = await createSession(app, { user_id: 'u1' }, service)
  for (const operation of operations) {
    const limit = operation.parameters.find((p) => p.name === 'limit')!
    const headers = bearer(operation.path.startsWith('/v1/admin/') ? adminKey : serviceKey)
    t.ok(limit.schema.maximum <= 200, `${operation.label} documents maximum ${limit.schema.maximum}`)
    const pathValues: Record<string, string> = {}
    for (const p of operation.parameters.filter((p) => p.in === 'path')) {
      pathValues[p.name] = p.name === 'id' ? session.id : p.name === 'user_id' ? 'u1' : String(validSample(p.schema))
    }
    for (const bad of ['201', '0', '-1', '1.5', 'many']) {
      const sent = await send(app, { method: operation.method, url: urlFor(operation, pathValues, { limit: bad }), headers })
      t.equal(sent.status, 400, `${operation.label} limit=${bad}`)
    }
    const ok = await send(app, { method: operation.method, url: urlFor(operation, pathValues, { limit: '200' }), headers })
    t.not(ok.status, 400, `${operation.label} limit=200 is accepted`)
  }
})
