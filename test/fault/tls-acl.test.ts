// sessiond on Redis over TLS (certificates made at test time with openssl) as a least-privilege ACL user,
// standalone and Cluster: every kind of request works, and Redis denied nothing (ACL LOG stays empty).
import t from 'tap'
import { aclRule } from '../../src/redis/acl.js'
import { aclArgs, call, inspect, json, makeCertificates, redisNode, report, startCluster, startService, type Service } from './harness.js'

const KEY_ENV = 'tlsacl'
const USER = { user: 'sessiond', password: 'sessiond-fault-password', system: 'sessiond', env: KEY_ENV }
const RULE = aclRule(USER)

/** Every kind of request sessiond serves, once; the ones that did not answer as expected. */
async function exercise (service: Service): Promise<string[]> {
  const port = service.port
  const problems: string[] = []
  const expect = async (method: string, path: string, status: number, body?: unknown, headers?: Record<string, string>): Promise<any> => {
    const answer = await call(port, method, path, { body, headers })
    if (answer.status !== status) problems.push(`${method} ${path}: ${answer.status} ${answer.body.slice(0, 160)}`)
    return String(answer.headers['content-type'] ?? '').includes('json') ? json(answer) : undefined
  }
  const session = await expect('POST', '/v1/sessions', 201, { user_id: 'acl-user', kind: 'onboarding', total_steps: 2 }, { 'idempotency-key': 'acl-create' })
  await expect('POST', '/v1/sessions', 201, { user_id: 'acl-user', kind: 'onboarding', total_steps: 2 }, { 'idempotency-key': 'acl-create' })
  const id = session?.id as string
  await expect('GET', `/v1/sessions/${id}`, 200)
  await expect('PATCH', `/v1/sessions/${id}`, 200, { metadata: { a: 1 }, state: 'paused' })
  await expect('PATCH', `/v1/sessions/${id}`, 200, { state: 'active' })
  await expect('PUT', `/v1/sessions/${id}/steps/1`, 200, { name: 'Ada' })
  await expect('GET', `/v1/sessions/${id}/steps/1`, 200)
  await expect('GET', `/v1/sessions/${id}/steps`, 200)
  await expect('DELETE', `/v1/sessions/${id}/steps/1`, 204)
  await expect('PUT', `/v1/sessions/${id}/steps/1`, 200, { name: 'Ada' })
  await expect('PUT', `/v1/sessions/${id}/steps/2`, 200, { plan: 'pro' })
  await expect('GET', `/v1/sessions/${id}/progress`, 200)
  await expect('PUT', `/v1/sessions/${id}/narrative/world_state`, 200, { data: { weather: 'rain' } })
  await expect('GET', `/v1/sessions/${id}/narrative/world_state`, 200)
  await expect('GET', `/v1/sessions/${id}/narrative`, 200)
  await expect('PUT', `/v1/sessions/${id}/narrative/mood`, 200, { data: { calm: 1 } })
  await expect('DELETE', `/v1/sessions/${id}/narrative/mood`, 204)
  await expect('POST', `/v1/sessions/${id}/scenes`, 201, { scene_id: 's1' }, { 'idempotency-key': 'acl-scene' })
  await expect('GET', `/v1/sessions/${id}/scenes`, 200)
  await expect('POST', `/v1/sessions/${id}/choices`, 201, { scene_id: 's1', choice_id: 'c1' }, { 'idempotency-key': 'acl-choice' })
  await expect('GET', `/v1/sessions/${id}/choices`, 200)
  await expect('POST', `/v1/sessions/${id}/messages`, 201, { role: 'user', content: 'hello' }, { 'idempotency-key': 'acl-message' })
  await expect('POST', `/v1/sessions/${id}/messages`, 201, { role: 'user', content: 'hello' }, { 'idempotency-key': 'acl-message' })
  await expect('GET', `/v1/sessions/${id}/messages`, 200)
  await expect('GET', `/v1/sessions/${id}/summary`, 200)
  await expect('POST', '/v1/users/acl-user/progress', 201, { metrics: { calm: 3 } }, { 'idempotency-key': 'acl-progress' })
  await expect('GET', '/v1/users/acl-user/progress', 200)
  await expect('GET', '/v1/users/acl-user/progress/latest', 200)
  await expect('GET', '/v1/users/acl-user/sessions', 200)
  await expect('POST', `/v1/sessions/${id}/finalize`, 200, {})
  await expect('POST', `/v1/sessions/${id}/finalize`, 200, {})
  await expect('GET', '/v1/admin/finalized', 200)
  await expect('GET', '/v1/admin/audit', 200)
  const other = await expect('POST', '/v1/sessions', 201, { user_id: 'acl-user' }, { 'idempotency-key': 'acl-create-2' })
  await expect('DELETE', `/v1/sessions/${other?.id as string}/messages`, 204)
  await expect('DELETE', `/v1/sessions/${other?.id as string}/narrative`, 204)
  await expect('DELETE', `/v1/sessions/${other?.id as string}`, 204)
  await expect('DELETE', '/v1/users/acl-user/sessions', 200)
  await expect('GET', '/health/ready', 200)
  await expect('GET', '/health', 200)
  await expect('GET', '/metrics', 200)
  return problems
}

/** What Redis refused the sessiond user, from ACL LOG on every node. */
async function denied (ports: number[], tls: ReturnType<typeof makeCertificates>): Promise<string[]> {
  const refused: string[] = []
  for (const port of ports) {
    const admin = inspect(t, port, { tls, acl: true })
    const log = await admin.call('ACL', 'LOG') as unknown[]
    for (const entry of log) {
      const fields = entry as unknown[]
      const at = (name: string): string => String(fields[fields.indexOf(name) + 1])
      refused.push(`${at('reason')} ${at('object')} (${at('context')}, user ${at('username')})`)
    }
    admin.disconnect()
  }
  return [...new Set(refused)]
}

t.test('over TLS as a least-privilege ACL user, standalone: every request works and Redis refuses nothing', async (t) => {
  const tls = makeCertificates(t)
  const node = await redisNode(t, aclArgs([RULE]), { tls })
  const service = await startService(t, {
    REDIS_URL: `rediss://${USER.user}:${USER.password}@127.0.0.1:${node.port}`, KEY_ENV, NODE_EXTRA_CA_CERTS: tls.ca
  })
  const problems = await exercise(service)
  const refused = await denied([node.port], tls)
  t.same(problems, [], 'every request answered as expected')
  t.same(refused, [], 'ACL LOG is empty: the rule covers every command and key')
  const plain = await call(service.port, 'GET', '/health')
  t.match(json(plain), { redis: { status: 'up', mode: 'standalone' } })
  report('tls-acl-standalone', { requests_failed: problems.length, acl_denials: refused, acl_rule: RULE.replace(USER.password, '<password>') })
})

t.test('over TLS as a least-privilege ACL user, Cluster: every request works and no node refuses anything', async (t) => {
  const tls = makeCertificates(t)
  const cluster = await startCluster(t, 3, 0, aclArgs([RULE]), tls)
  const service = await startService(t, {
    REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    REDIS_TLS: 'true', REDIS_USERNAME: USER.user, REDIS_PASSWORD: USER.password, KEY_ENV, NODE_EXTRA_CA_CERTS: tls.ca
  })
  const problems = await exercise(service)
  const refused = await denied(cluster.nodes.map((n) => n.port), tls)
  t.same(problems, [], 'every request answered as expected')
  t.same(refused, [], 'ACL LOG is empty on every node')
  t.match(json(await call(service.port, 'GET', '/health')), { redis: { status: 'up', mode: 'cluster' } })
  report('tls-acl-cluster', { masters: 3, requests_failed: problems.length, acl_denials: refused })
})
