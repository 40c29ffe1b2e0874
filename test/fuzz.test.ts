// Fuzz every route of the generated OpenAPI document (routes added later included) with fast-check:
// path values, queries, headers and bodies drawn from the schemas, from real ids, and from plain
// garbage. With an admin key every request reaches validation and the handlers. Whatever comes in:
// never a 5xx, every error is an RFC 9457 problem+json document, and the operation reached documents
// what it answered: the status, the problem code, and the headers it sent (test/openapi-cases.ts).
// FUZZ_RUNS (default 300 per route) and FUZZ_SEED reproduce or deepen a run.
import t from 'tap'
import fc from 'fast-check'
import { adminKey, authEnv, bearer, buildTestApp, createSession } from './helper.js'
import { apiOperations, conformance, encodeBody, problemDefect, schemaArbitrary, send, urlFor, type Operation, type Parameter } from './openapi-cases.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FUZZ_SEED)
const OWNER = 'fuzz-owner'

const garbageSegment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '0', '-1', '1e3', '..', '.', 'null', '%00', ' ', 'a'.repeat(300), '{id}', '__proto__', 'constructor')
)

interface FuzzCase {
  path: Record<string, { value: string, raw: boolean }>
  query: Record<string, unknown>
  headers: Record<string, string>
  body?: { contentType: string, payload: string }
}

function pathValue (p: Parameter, real: Record<string, string>): fc.Arbitrary<{ value: string, raw: boolean }> {
  const encoded = (value: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: string, raw: boolean }> => value.map((v) => ({ value: String(v), raw: false }))
  const options = [
    encoded(schemaArbitrary(p.schema)),
    encoded(garbageSegment),
    // Raw: malformed escapes and separators straight into the URL.
    fc.constantFrom('%ZZ', '%', '%E0%A4%A', 'a%2Fb', 'a/b', '?x=1', '#frag').map((value) => ({ value, raw: true }))
  ]
  const known = real[p.name]
  const weighted = [{ arbitrary: options[0]!, weight: 3 }, { arbitrary: options[1]!, weight: 1 }, { arbitrary: options[2]!, weight: 1 }]
  return known === undefined ? fc.oneof(...weighted) : fc.oneof({ arbitrary: fc.constant({ value: known, raw: false }), weight: 5 }, ...weighted)
}

function queryArbitrary (parameters: Parameter[]): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const p of parameters) {
    model[p.name] = fc.oneof({ arbitrary: schemaArbitrary(p.schema), weight: 6 }, { arbitrary: garbageSegment, weight: 1 }, { arbitrary: fc.integer({ min: -1000, max: 100000 }), weight: 1 })
  }
  const known = fc.record(model, { requiredKeys: [] })
  const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), garbageSegment, { maxKeys: 2 })
  return fc.tuple(known, fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: extra, weight: 1 }))
    .map(([a, b]) => ({ ...b, ...a }))
}

function headerArbitrary (parameters: Parameter[]): fc.Arbitrary<Record<string, string>> {
  const model: Record<string, fc.Arbitrary<string>> = {}
  const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 140 })
  for (const p of parameters) model[p.name] = fc.oneof({ arbitrary: schemaArbitrary(p.schema).map(String), weight: 3 }, { arbitrary: printable, weight: 1 })
  return fc.record(model, { requiredKeys: [] }).map((headers) => ({ ...headers }) as Record<string, string>)
}

function bodyArbitrary (operation: Operation): fc.Arbitrary<FuzzCase['body']> {
  const declared = operation.body
  const contentType = declared?.contentType ?? 'application/json'
  const schema = declared?.schema ?? {}
  const guided = schemaArbitrary(schema, { properties: { user_id: fc.oneof(fc.constant(OWNER), schemaArbitrary(schema.properties?.user_id ?? {})) } })
  const asJson = (value: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzCase['body']> => value.map((v) => ({ contentType, payload: encodeBody(contentType, v) }))
  const options = [
    { arbitrary: asJson(guided), weight: 6 },
    // Valid-looking with one unknown field.
    { arbitrary: asJson(fc.tuple(guided, fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })).map(([v, k, x]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v, [`x_${k}`]: x } : v))), weight: 2 },
    { arbitrary: asJson(fc.jsonValue({ maxDepth: 3 })), weight: 2 },
    { arbitrary: fc.string({ maxLength: 60 }).map((payload) => ({ contentType, payload })), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data'), fc.string({ maxLength: 40 })).map(([type, payload]) => ({ contentType: type, payload })), weight: 1 }
  ]
  const body = fc.oneof(...options)
  return declared === undefined ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: body, weight: 1 }) : body
}

function caseArbitrary (operation: Operation, real: Record<string, string>): fc.Arbitrary<FuzzCase> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path')
  const pathModel: Record<string, fc.Arbitrary<{ value: string, raw: boolean }>> = {}
  for (const p of pathParams) pathModel[p.name] = pathValue(p, real)
  const withBody = operation.method !== 'GET' && operation.method !== 'DELETE'
  return fc.record({
    path: fc.record(pathModel),
    query: queryArbitrary(operation.parameters.filter((p) => p.in === 'query')),
    headers: headerArbitrary(operation.parameters.filter((p) => p.in === 'header')),
    body: withBody ? bodyArbitrary(operation) : fc.constant(undefined)
  }, { requiredKeys: ['path', 'query', 'headers'] }) as fc.Arbitrary<FuzzCase>
}

function urlOf (operation: Operation, fuzz: FuzzCase): string {
  const values: Record<string, string> = {}
  for (const [name, { value, raw }] of Object.entries(fuzz.path)) values[name] = raw ? value : encodeURIComponent(value)
  return urlFor(operation, values, fuzz.query, false)
}

/** Runs `work` over `items` with at most `width` in flight (Redis round trips dominate; overlap them). */
async function pool<T> (items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!)
  }))
}

t.test(`every route answers any input without a 5xx and with problem+json errors (${RUNS} cases a route, seed ${SEED})`, async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const doc = app.swagger() as any
  const operations = apiOperations(doc)
  const undocumented = conformance(doc)
  for (const operation of operations) {
    await t.test(operation.label, async (t) => {
      const session = await createSession(app, { user_id: OWNER, kind: 'onboarding' }, bearer(adminKey))
      // An event stream of a real session never ends: fuzz it with ids that do not exist.
      const real: Record<string, string> = operation.streams ? {} : { id: session.id, user_id: OWNER }
      const cases = fc.sample(caseArbitrary(operation, real), { numRuns: RUNS, seed: SEED })
      const defects: string[] = []
      await pool(cases, 8, async (fuzz) => {
        const url = urlOf(operation, fuzz)
        const headers: Record<string, string> = { ...fuzz.headers, ...bearer(adminKey) }
        if (fuzz.body !== undefined) headers['content-type'] = fuzz.body.contentType
        const sent = await send(app, { method: operation.method, url, headers, payload: fuzz.body?.payload })
        const defect = sent.status >= 500
          ? `status ${sent.status}: ${sent.body.slice(0, 300)}`
          : (sent.status >= 400 ? problemDefect(sent) : null) ?? undocumented(operation.method, url, sent)
        if (defect !== null) defects.push(`${operation.method} ${url} ${JSON.stringify(headers)} ${fuzz.body?.payload ?? ''} → ${defect}`)
      })
      t.same(defects.slice(0, 5), [], `${cases.length} cases: no 5xx, every error a problem, all documented (${defects.length} defects)`)
    })
  }
})
