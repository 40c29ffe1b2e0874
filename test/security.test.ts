// Driven by the generated OpenAPI document: every /v1 operation — today's and every one added later —
// is tried with no token, a garbage token, an expired JWT, a wrongly signed JWT and another user's
// JWT (and, on /v1/admin, with a service key and the owner's JWT; and without a token on the
// percent-encoded path). Not one of them may succeed.
// Each operation gets a real session owned by "victim", real path values and a valid body, so that
// what refuses is authentication and authorization, never validation; a control request by the
// rightful caller proves the request would otherwise have reached the handler.
import t from 'tap'
import fc from 'fast-check'
import { adminKey, authEnv, bearer, buildTestApp, createSession, json, serviceKey, userToken } from './helper.js'
import { apiOperations, encodeBody, send, urlFor, validSample, type Operation, type Sent } from './openapi-cases.js'

const VICTIM = 'victim'
const ATTACKER = 'mallory'

type Scope = 'admin' | 'user' | 'session' | 'create' | 'other'

function scopeOf (operation: Operation): Scope {
  if (operation.path.startsWith('/v1/admin/')) return 'admin'
  if (operation.path.startsWith('/v1/users/{user_id}')) return 'user'
  if (operation.path.startsWith('/v1/sessions/{id}')) return 'session'
  if (operation.method === 'POST' && operation.path === '/v1/sessions') return 'create'
  return 'other'
}

const codeOf = (sent: Sent): string | undefined => {
  try { return JSON.parse(sent.body).code } catch { return undefined }
}

interface Prepared { url: string, headers: Record<string, string>, payload?: string }

/** A request the rightful caller could make: real ids, required query and headers, a valid body. */
function prepare (operation: Operation, sessionId: string): Prepared {
  const pathValues: Record<string, string> = {}
  const query: Record<string, unknown> = {}
  const headers: Record<string, string> = {}
  for (const p of operation.parameters) {
    if (p.in === 'path') {
      pathValues[p.name] = p.name === 'id' ? sessionId : p.name === 'user_id' ? VICTIM : String(validSample(p.schema, {}, `${operation.label} ${p.name}`))
    } else if (p.required) {
      const value = validSample(p.schema, {}, `${operation.label} ${p.name}`)
      if (p.in === 'query') query[p.name] = value
      else headers[p.name] = String(value)
    }
  }
  if (operation.body === undefined) return { url: urlFor(operation, pathValues, query), headers }
  const body = validSample(operation.body.schema, { properties: { user_id: fc.constant(VICTIM) } }, `${operation.label} body`)
  return {
    url: urlFor(operation, pathValues, query),
    headers: { ...headers, 'content-type': operation.body.contentType },
    payload: encodeBody(operation.body.contentType, body)
  }
}

t.test('no /v1 operation succeeds without the right credentials', async (t) => {
  const { app } = await buildTestApp(t, authEnv)
  const operations = apiOperations(app.swagger() as any)
  t.ok(operations.length >= 4, `${operations.length} operations in the document`)

  const victimToken = await userToken(VICTIM)
  const attackerToken = await userToken(ATTACKER)
  const expired = await userToken(VICTIM, { expiresIn: -120 })
  const wronglySigned = await userToken(VICTIM, { secret: 'not-the-secret-0123456789abcdef0123456789' })

  for (const operation of operations) {
    await t.test(operation.label, async (t) => {
      const scope = scopeOf(operation)
      const session = await createSession(app, { user_id: VICTIM }, bearer(serviceKey))
      const request = prepare(operation, session.id)
      const attempt = async (headers: Record<string, string>): Promise<Sent> =>
        await send(app, { method: operation.method, url: request.url, payload: request.payload, headers: { ...request.headers, ...headers } })
      const readVictim = async (): Promise<unknown> => {
        const read = await app.inject({ url: `/v1/sessions/${session.id}?touch=false`, headers: bearer(serviceKey) })
        return read.statusCode === 200 ? { version: json(read).version, updated_at: json(read).updated_at } : read.statusCode
      }
      const before = await readVictim()

      const unauthenticated: Array<[string, Record<string, string>]> = [
        ['no token', {}],
        ['a garbage token', bearer('garbage-token')],
        ['an expired JWT', bearer(expired)],
        ['a JWT with the wrong signature', bearer(wronglySigned)]
      ]
      for (const [name, headers] of unauthenticated) {
        const sent = await attempt(headers)
        t.equal(sent.status, 401, `${name}: 401`)
        t.equal(codeOf(sent), 'unauthorized', `${name}: unauthorized`)
      }
      const encoded = await send(app, { method: operation.method, url: request.url.replace(/^\/v1/, '/%761'), payload: request.payload, headers: request.headers })
      t.equal(encoded.status, 401, 'no token on the percent-encoded path: 401')

      const other = await attempt(bearer(attackerToken))
      t.notOk(other.status < 300, `another user's JWT: no success (${other.status})`)
      if (scope === 'session') t.same([other.status, codeOf(other)], [404, 'session_not_found'], "another user's session is a missing one")
      else if (scope !== 'other') t.same([other.status, codeOf(other)], [403, 'forbidden'], "another user's JWT is forbidden")

      if (scope === 'admin') {
        for (const [name, token] of [['a service key', serviceKey], ["the owner's JWT", victimToken]]) {
          const sent = await attempt(bearer(token!))
          t.same([sent.status, codeOf(sent)], [403, 'forbidden'], `${name} is forbidden on /v1/admin`)
        }
      }
      t.same(await readVictim(), before, "the victim's session is unchanged")

      // Control: the rightful caller is not refused, so the refusals above came from auth, not from the
      // request itself (the 404/403 expected of another user's JWT above already rule out validation).
      const rightful = scope === 'admin' ? adminKey : scope === 'other' ? serviceKey : victimToken
      const control = await attempt(bearer(rightful))
      t.notOk([401, 403].includes(control.status) || codeOf(control) === 'session_not_found',
        `the rightful caller gets through (${control.status} ${codeOf(control) ?? ''})`)
    })
  }
})
