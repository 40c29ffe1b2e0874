import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { openapiYaml } from '../scripts/openapi-document.js'
import { problemTable, type ProblemCode } from '../src/errors.js'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { OPERATION_IDS } from './operation-ids.js'

const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'))
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete']

interface Documented { method: string, path: string, op: any, label: string }
const operations: Documented[] = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
  Object.entries<any>(item).filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, op]) => ({ method, path, op, label: `${method.toUpperCase()} ${path}` })))
const api = operations.filter(({ path }) => path.startsWith('/v1/'))

/** A response, its $ref to components.responses followed. */
const resolve = (response: any): any => {
  const ref: string | undefined = response?.$ref
  return ref === undefined ? response : ref.slice(2).split('/').reduce((node: any, part) => node?.[part], doc)
}
const codesOf = (response: any): string[] => resolve(response).content?.['application/problem+json']?.schema?.allOf?.[1]?.properties?.code?.enum ?? []
const headerNames = (response: any): string[] => Object.keys(resolve(response).headers ?? {})

t.test('the committed openapi.yaml matches the route schemas (run `npm run openapi` when this fails)', async (t) => {
  const committed = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')
  t.equal(committed, await openapiYaml())
})

t.test('every documented route has a summary, a description, tags and a schema for each status it returns', async (t) => {
  t.equal(doc.openapi, '3.1.0')
  for (const path of ['/health/live', '/health/ready', '/health', '/metrics']) t.ok(doc.paths[path], `${path} is documented`)
  for (const path of Object.keys(doc.paths)) t.notOk(path.startsWith('/docs') || path.startsWith('/openapi'), `${path} is not an ops document route`)
  for (const { path, op, label } of operations) {
    t.ok(op.summary, `${label} has a summary`)
    t.ok(op.description?.length > 20, `${label} has a description`)
    t.ok(op.tags?.length > 0, `${label} has tags`)
    t.ok(Object.keys(op.responses ?? {}).length > 0, `${label} documents responses`)
    if (path.startsWith('/v1')) {
      for (const status of ['400', '401', '429', '500', '503']) t.ok(op.responses[status], `${label} documents ${status}`)
    }
  }
})

t.test('every operation has a unique camelCase operationId, and none changes silently (test/operation-ids.ts)', async (t) => {
  const ids = operations.map(({ op }) => op.operationId)
  for (const { op, label } of operations) t.match(op.operationId, /^[a-z][a-zA-Z0-9]+$/, `${label}: ${op.operationId}`)
  t.equal(new Set(ids).size, ids.length, 'no two operations share an operationId')
  // A new operation adds its line to test/operation-ids.ts; a renamed one fails here.
  t.same(Object.fromEntries(operations.map(({ label, op }) => [label, op.operationId])), OPERATION_IDS)
})

t.test('every tag an operation uses is declared with a description, and every declared tag is used', async (t) => {
  const declared = new Map<string, string>((doc.tags ?? []).map((tag: any) => [tag.name, tag.description]))
  const used = new Set(operations.flatMap(({ op }) => op.tags as string[]))
  for (const tag of used) t.ok((declared.get(tag) ?? '').length > 10, `tag ${tag} is declared with a description`)
  for (const tag of declared.keys()) t.ok(used.has(tag), `declared tag ${tag} is used`)
  t.equal(declared.size, (doc.tags ?? []).length, 'each tag declared once')
})

t.test('the ops routes need no credentials; every /v1 operation needs the bearer token', async (t) => {
  for (const { path, op, label } of operations) {
    t.same(op.security, path.startsWith('/v1/') ? [{ bearer: [] }] : [], label)
  }
})

t.test('the server is a template clients fill in with the origin of their deployment', async (t) => {
  t.match(doc.servers, [{ url: '{origin}', variables: { origin: { default: 'http://localhost:8080' } } }])
  t.equal(doc.servers.length, 1)
})

t.test('/docs describes the deployment it is served from, so "Try it out" stays on its origin', async (t) => {
  const app = await buildApp(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' }), { connectRedis: false })
  t.teardown(() => app.close())
  const served = (await app.inject({ url: '/docs/json', headers: { host: 'sessions.example.org:8443' } })).json()
  t.same(served.servers, [{ url: 'http://sessions.example.org:8443', description: 'This deployment' }])
  t.same(served.paths, (await app.inject('/openapi.json')).json().paths, 'the same operations as /openapi.json')
})

t.test('errors are application/problem+json whose code is the enum of what that operation answers', async (t) => {
  for (const { op, label } of api) {
    for (const [status, response] of Object.entries<any>(op.responses)) {
      if (Number(status) < 400) continue
      const resolved = resolve(response)
      t.same(Object.keys(resolved.content ?? {}), ['application/problem+json'], `${label} ${status} is problem+json`)
      t.same(resolved.content['application/problem+json'].schema.allOf[0], { $ref: '#/components/schemas/Problem' }, `${label} ${status} is a Problem`)
      const codes = codesOf(response)
      t.ok(codes.length > 0, `${label} ${status} lists its codes`)
      for (const code of codes) {
        t.equal(problemTable[code as ProblemCode]?.status, Number(status), `${label} ${status}: ${code} is a ${status} code`)
        t.match(resolved.content['application/problem+json'].examples[code].value, { code, status: Number(status) }, `${label} ${status}: an example of ${code}`)
      }
    }
  }
})

t.test('the codes follow from what each operation does', async (t) => {
  const has = (op: any, status: number, code: string): boolean => codesOf(op.responses[status]).includes(code)
  const parameters = (op: any): string[] => (op.parameters ?? []).map((p: any) => p.name)
  for (const { path, method, op, label } of api) {
    t.ok(has(op, 503, 'redis_unavailable'), `${label}: 503 redis_unavailable`)
    if (path.startsWith('/v1/sessions/{id}')) t.ok(has(op, 404, 'session_not_found'), `${label}: 404 session_not_found`)
    if (path.startsWith('/v1/users/{user_id}') || path.startsWith('/v1/admin/')) t.ok(has(op, 403, 'forbidden'), `${label}: 403 forbidden`)
    if (parameters(op).includes('if-match')) t.ok(has(op, 412, 'version_conflict'), `${label}: if-match → 412 version_conflict`)
    if (parameters(op).includes('idempotency-key')) t.ok(has(op, 422, 'idempotency_key_reused'), `${label}: Idempotency-Key → 422`)
    if (op.requestBody !== undefined || method === 'delete') {
      t.ok(has(op, 413, 'payload_too_large') && has(op, 415, 'unsupported_media_type'), `${label}: it reads a body → 413, 415`)
    }
    if (op.responses[409] !== undefined && method !== 'patch' && !path.endsWith('/finalize')) {
      t.ok(has(op, 409, 'session_not_writable') && has(op, 409, 'session_finalized'), `${label}: a write under a session → 409 session_not_writable, session_finalized`)
    }
  }
  const byId = Object.fromEntries(api.map(({ op }) => [op.operationId, op]))
  t.same(codesOf(byId.getStep.responses[404]), ['session_not_found', 'step_not_found'])
  t.same(codesOf(byId.deleteStep.responses[404]), ['session_not_found', 'step_not_found'])
  t.same(codesOf(byId.getNarrativeContext.responses[404]), ['session_not_found', 'not_found'])
  t.same(codesOf(byId.getLatestProgressSnapshot.responses[404]), ['not_found'])
  t.same(codesOf(byId.updateSession.responses[409]), ['invalid_transition', 'session_finalized', 'safety_hold'])
  t.same(codesOf(byId.finalizeSession.responses[409]), ['session_finalized', 'session_not_writable', 'incomplete_steps'])
  t.same(codesOf(byId.makeChoice.responses[409]), ['session_finalized', 'session_not_writable', 'scene_mismatch'])
  for (const id of ['updateSession', 'finalizeSession']) t.same(codesOf(byId[id].responses[503]), ['redis_unavailable', 'service_unavailable'], `${id}: its retries can give up`)
  t.same(codesOf(byId.getSession.responses[503]), ['redis_unavailable'])
})

t.test('response headers: x-request-id everywhere, ratelimit-* on /v1, retry-after on 429 and 503, etag and location where sent', async (t) => {
  for (const { path, op, label } of operations) {
    for (const [status, response] of Object.entries<any>(op.responses)) {
      const names = headerNames(response)
      t.ok(names.includes('x-request-id'), `${label} ${status}: x-request-id`)
      if (path.startsWith('/v1/')) t.ok(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].every((name) => names.includes(name)), `${label} ${status}: ratelimit-*`)
      if (path.startsWith('/v1/') && (status === '429' || status === '503')) t.ok(names.includes('retry-after'), `${label} ${status}: retry-after`)
    }
  }
  const byId = Object.fromEntries(api.map(({ op }) => [op.operationId, op]))
  t.match(headerNames(byId.createSession.responses[201]), ['location', 'etag', 'idempotent-replayed'])
  for (const id of ['getSession', 'updateSession', 'getSessionSummary', 'saveStep', 'getStep', 'listSteps', 'getProgress', 'finalizeSession', 'createMessage']) {
    const success = Object.entries<any>(byId[id].responses).find(([status]) => status.startsWith('2'))![1]
    t.ok(headerNames(success).includes('etag'), `${id}: etag`)
  }
  for (const name of Object.keys(doc.components.headers)) t.ok(doc.components.headers[name].description, `header ${name} is described`)
})

t.test('the main bodies have examples', async (t) => {
  const byId = Object.fromEntries(api.map(({ op }) => [op.operationId, op]))
  const example = (op: any, status: string): unknown => op.responses[status].content['application/json'].example
  for (const id of ['createSession', 'saveStep', 'createMessage', 'finalizeSession']) t.ok(byId[id].requestBody.content['application/json'].example, `${id}: request example`)
  t.match(example(byId.createSession, '201'), { id: String, version: 1 })
  t.match(example(byId.getSession, '200'), { id: String })
  t.match(example(byId.saveStep, '200'), { step: Number, progress: Object })
  t.match(example(byId.createMessage, '201'), { seq: 1 })
  t.match(example(byId.finalizeSession, '200'), { session: { state: 'completed' }, context: Object })
  t.equal(byId.finalizeSession.requestBody.required, false, 'the finalize body is optional')
})
