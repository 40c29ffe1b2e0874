// The fault suite's tools: sessiond as a real process (node dist/src/server.js) on loopback, redis-server
// topologies (standalone, a Cluster with replicas, Sentinel), an HTTP client that times every answer,
// closed-loop load, and the figures each scenario reports (printed, and kept in .tap/fault/<name>.json
// for scripts/fault-suite.mjs to collect).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { freeClusterPort, freePort, sleep, tempDir, type Tap } from '../helper.js'

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))

/** REDIS_COMMAND_TIMEOUT_MS of every scenario, and the contract's bound on any answer. */
export const COMMAND_TIMEOUT_MS = 500
export const BOUND_MS = COMMAND_TIMEOUT_MS + 250

export const ADMIN_KEY = 'fault-admin-key-0123456789abcdef0123456789'
export const admin = { authorization: `Bearer ${ADMIN_KEY}` }

// ---------------------------------------------------------------------------------------------------
// Figures

/** Writes a scenario's figures to .tap/fault/<name>.json and prints them. */
export function report (name: string, figures: Record<string, unknown>): void {
  const dir = join(root, '.tap', 'fault')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ scenario: name, at: new Date().toISOString(), ...figures }, null, 2) + '\n')
  console.log(`# figures ${name}: ${JSON.stringify(figures)}`)
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  status: number
  /** Milliseconds from sending to the end of the body (or to the error). */
  ms: number
  body: string
  headers: Record<string, string | string[] | undefined>
  /** A transport error (ECONNREFUSED, ECONNRESET, timeout) instead of an answer: status 0. */
  error?: string
  startedAt: number
  /** The server's own time for it, from its access log (serverTimes()). */
  serverMs?: number
}

export interface CallOptions {
  headers?: Record<string, string>
  body?: unknown
  /** node:http agent: a keep-alive one, or false for a fresh connection that closes after. */
  agent?: Agent | false
  /** Client-side give-up (a hang), default 10 s. */
  timeoutMs?: number
}

export const keepAlive = (): Agent => new Agent({ keepAlive: true, maxSockets: 64 })

export async function call (port: number, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const startedAt = Date.now()
  const started = performance.now()
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return await new Promise((resolvePromise) => {
    let settled = false
    const done = (answer: Omit<Answer, 'ms' | 'startedAt'>): void => {
      if (settled) return
      settled = true
      resolvePromise({ ...answer, ms: Math.round(performance.now() - started), startedAt })
    }
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method,
      path,
      agent: options.agent ?? false,
      headers: {
        ...admin,
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
        ...(options.agent === false || options.agent === undefined ? { connection: 'close' } : {}),
        ...options.headers
      }
    }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }))
      res.on('error', (err: NodeJS.ErrnoException) => done({ status: 0, body, headers: {}, error: err.code ?? err.message }))
    })
    req.setTimeout(options.timeoutMs ?? 10_000, () => { req.destroy(); done({ status: 0, body: '', headers: {}, error: 'client timeout' }) })
    req.on('error', (err: NodeJS.ErrnoException) => done({ status: 0, body: '', headers: {}, error: err.code ?? err.message }))
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

export const json = <T = any>(answer: Answer): T => JSON.parse(answer.body) as T

/** Polls `path` until it answers `status`; the time that took (ms), or throws after `withinMs`. */
export async function untilStatus (port: number, path: string, status: number, withinMs: number, everyMs = 50): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if ((await call(port, 'GET', path, { timeoutMs: 2000 })).status === status) return Date.now() - started
    await sleep(everyMs)
  }
  throw new Error(`${path} did not answer ${status} within ${withinMs} ms`)
}

// ---------------------------------------------------------------------------------------------------
// Load

export interface Recorded extends Answer { kind: string }

/** Every answer of a load run, and what was still outstanding when it was stopped. */
export class Recorder {
  readonly answers: Recorded[] = []
  outstanding = 0

  async track (kind: string, work: Promise<Answer>): Promise<Answer> {
    this.outstanding++
    try {
      const answer = await work
      this.answers.push({ ...answer, kind })
      return answer
    } finally {
      this.outstanding--
    }
  }

  between (from: number, to: number = Infinity): Recorded[] {
    return this.answers.filter((a) => a.startedAt >= from && a.startedAt < to)
  }
}

export interface Stats {
  count: number
  byStatus: Record<string, number>
  /** Client-observed milliseconds: percentiles, maximum, and how many answers took longer than the bound. */
  p50: number
  p99: number
  max: number
  overBound: number
  /** The same by the server's own clock (its access log), where known. */
  serverMax: number
  serverOverBound: number
}

export function stats (answers: readonly Answer[], bound: number = BOUND_MS): Stats {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b)
  const server = answers.flatMap((a) => a.serverMs === undefined ? [] : [a.serverMs])
  const byStatus: Record<string, number> = {}
  for (const a of answers) {
    const key = a.status === 0 ? `error:${a.error ?? '?'}` : String(a.status)
    byStatus[key] = (byStatus[key] ?? 0) + 1
  }
  const at = (q: number): number => ms.length === 0 ? 0 : ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!
  return {
    count: ms.length,
    byStatus,
    p50: at(0.5),
    p99: at(0.99),
    max: ms.at(-1) ?? 0,
    overBound: ms.filter((m) => m > bound).length,
    serverMax: server.length === 0 ? 0 : Math.round(Math.max(...server)),
    serverOverBound: server.filter((m) => m > bound).length
  }
}

/**
 * Sets each answer's `serverMs` from the service's access log (LOG_LEVEL info): the time from the
 * request's arrival to its answer by the server's clock. On a machine short of CPU the client's own
 * clock adds its scheduling delays to what it observes; the bound is the server's to keep.
 */
export function serverTimes (answers: readonly Answer[], output: string): void {
  const byId = new Map<string, number>()
  for (const line of output.split('\n')) {
    if (!line.includes('"request completed"')) continue
    const entry = JSON.parse(line) as { request_id?: string, duration_ms?: number }
    if (entry.request_id !== undefined && entry.duration_ms !== undefined) byId.set(entry.request_id, entry.duration_ms)
  }
  for (const answer of answers) {
    const id = answer.headers['x-request-id']
    if (typeof id === 'string' && byId.has(id)) (answer as { serverMs?: number }).serverMs = byId.get(id)
  }
}

/** Runs `workers` closed loops of `step(worker, n)` until stop() is called; stop() waits for the loops to end. */
export function loop (workers: number, step: (worker: number, n: number) => Promise<unknown>): { stop: () => Promise<void> } {
  let running = true
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let n = 0; running; n++) await step(worker, n)
  })
  return {
    stop: async () => {
      running = false
      await Promise.all(loops)
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// sessiond

export interface Service {
  port: number
  child: ChildProcess
  output: () => string
  exited: Promise<number | string>
  /** True while the process runs. */
  alive: () => boolean
  /** A metric's value from /metrics (the first series of that name), or undefined. */
  metric: (name: string, labels?: string) => Promise<number | undefined>
}

/** Starts `node dist/src/server.js` (built by scripts/fault-suite.mjs) with production settings and `env`. */
export async function startService (t: Tap, env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<Service> {
  const port = await freePort()
  const cwd = tempDir(t, 'fault-service') // no .env is read
  const child = spawn(process.execPath, [join(root, 'dist/src/server.js')], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      // One access-log line per request: the server's own time for each answer (serverTimes()).
      LOG_LEVEL: 'info',
      ADMIN_API_KEYS: `fault:${ADMIN_KEY}`,
      RATE_LIMIT_MAX: '10000000',
      REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
      MAX_MESSAGES_PER_SESSION: '100000',
      SHUTDOWN_DRAIN_MS: '0',
      ...env
    }
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString() })
  let running = true
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => { running = false; done(code ?? signal ?? -1) }))
  t.teardown(async () => {
    if (running) child.kill('SIGKILL')
    await exited
  })
  const service: Service = {
    port,
    child,
    output: () => output,
    exited,
    alive: () => running,
    metric: async (name, labels = '') => {
      const text = (await call(port, 'GET', '/metrics')).body
      const line = text.split('\n').find((l) => l.startsWith(`${name}${labels === '' ? '' : `{${labels}`}`) && (labels !== '' || l[name.length] === ' ' || l[name.length] === '{'))
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
    }
  }
  const deadline = Date.now() + 20_000
  while ((await call(port, 'GET', '/health/live', { timeoutMs: 1000 })).status !== 200) {
    if (!running || Date.now() > deadline) throw new Error(`sessiond did not come up:\n${output}`)
    await sleep(50)
  }
  if (options.waitReady !== false) {
    await untilStatus(port, '/health/ready', 200, 20_000).catch((err: Error) => { throw new Error(`${err.message}; sessiond said:\n${output.slice(-3000)}`) })
  }
  return service
}

// ---------------------------------------------------------------------------------------------------
// redis-server processes

export interface RedisNode {
  port: number
  pid: number
  dir: string
  /** The process (SIGKILL it, SIGSTOP it …). */
  child: ChildProcess
  stopped: Promise<void>
}

/** Starts a redis-server with `args` in its own temp folder; killed when the test ends. */
export async function redisNode (t: Tap, args: string[], options: { port?: number, dir?: string, tls?: TlsFiles } = {}): Promise<RedisNode> {
  const port = options.port ?? await freePort()
  const dir = options.dir ?? tempDir(t, `redis-${port}`)
  const listen = options.tls === undefined
    ? ['--port', String(port)]
    : ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'no']
  const child = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...args], { stdio: 'ignore' })
  const stopped = new Promise<void>((done) => child.on('exit', () => done()))
  t.teardown(async () => {
    try { process.kill(child.pid!, 'SIGCONT') } catch { /* gone */ }
    child.kill('SIGKILL')
    await stopped
  })
  const cli = options.tls === undefined ? [] : ['--tls', '--cacert', options.tls.ca]
  for (let i = 0; i < 100; i++) {
    const pong = spawnSync('redis-cli', [...cli, '-p', String(port), ...adminAuth(args), 'ping'], { encoding: 'utf8' }).stdout?.trim()
    if (pong === 'PONG' || pong === 'LOADING') return { port, pid: child.pid!, dir, child, stopped }
    await sleep(50)
  }
  throw new Error(`redis-server on ${port} did not start`)
}

/** redis-cli arguments to log in as the admin user of a node started with `adminUser()` rules. */
function adminAuth (args: string[]): string[] {
  return args.includes(`>${ADMIN_PASSWORD}`) ? ['--user', 'admin', '--pass', ADMIN_PASSWORD, '--no-auth-warning'] : []
}

export const ADMIN_PASSWORD = 'fault-admin-password'
const ADMIN_USER_RULE = `admin on >${ADMIN_PASSWORD} ~* &* +@all`
/** redis-server arguments: an all-powerful `admin` user, the default user off, and `users` (ACL rule lines). */
export function aclArgs (users: string[]): string[] {
  // On redis-server's command line a directive's words are separate arguments.
  return [ADMIN_USER_RULE, 'default off', ...users].flatMap((rule) => ['--user', ...rule.split(' ')])
}

export interface Cluster {
  nodes: RedisNode[]
  /** Masters' ports by the slots they serve. */
  masters: () => Promise<Array<{ port: number, slots: Array<[number, number]> }>>
}

/** A Redis Cluster of `masters` masters with `replicas` replicas each, on loopback. */
export async function startCluster (t: Tap, masters: number, replicas: number, extraArgs: string[] = [], tls?: TlsFiles): Promise<Cluster> {
  const nodes: RedisNode[] = []
  for (let i = 0; i < masters * (1 + replicas); i++) {
    const port = await freeClusterPort(nodes.map((n) => n.port))
    const dir = tempDir(t, `cluster-${port}`)
    nodes.push(await redisNode(t, [
      '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '1000',
      ...(tls === undefined ? [] : ['--tls-cluster', 'yes', '--tls-replication', 'yes']), ...extraArgs
    ], { port, dir, tls }))
  }
  const cli = [...(tls === undefined ? [] : ['--tls', '--cacert', tls.ca]), ...adminAuth(extraArgs)]
  const created = spawnSync('redis-cli', [...cli, '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8' })
  if (created.status !== 0) throw new Error(`cluster create failed: ${created.stdout}\n${created.stderr}`)
  const redisCli = (port: number, ...args: string[]): string => spawnSync('redis-cli', [...cli, '-p', String(port), ...args], { encoding: 'utf8' }).stdout
  const ok = (port: number): boolean => redisCli(port, 'cluster', 'info').includes('cluster_state:ok')
  // Ready for a failover: every node agrees the cluster is ok, every master has its replicas, and each
  // replica finished its first sync (a replica that never synced does not stand for election).
  const settled = (): boolean => {
    if (!nodes.every((n) => ok(n.port))) return false
    const lines = redisCli(nodes[0]!.port, 'cluster', 'nodes').trim().split('\n').map((l) => l.split(' '))
    const masterIds = lines.filter((l) => l[2]!.includes('master') && l.length > 8).map((l) => l[0]!)
    const replicaLines = lines.filter((l) => l[2]!.includes('slave'))
    if (masterIds.some((id) => replicaLines.filter((l) => l[3] === id).length < replicas)) return false
    return replicaLines.every((l) => redisCli(Number(l[1]!.split(':')[1]!.split('@')[0]), 'info', 'replication').includes('master_link_status:up'))
  }
  for (let i = 0; i < 300 && !settled(); i++) await sleep(100)
  if (!settled()) throw new Error(`cluster did not settle:\n${redisCli(nodes[0]!.port, 'cluster', 'nodes')}`)
  return {
    nodes,
    masters: async () => {
      const alive = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!
      const out = spawnSync('redis-cli', [...cli, '-p', String(alive.port), '--json', 'cluster', 'slots'], { encoding: 'utf8' }).stdout
      const slots = JSON.parse(out) as Array<[number, number, [string, number, string], ...unknown[]]>
      const byPort = new Map<number, Array<[number, number]>>()
      for (const [from, to, [, port]] of slots) byPort.set(Number(port), [...(byPort.get(Number(port)) ?? []), [from, to]])
      return [...byPort].map(([port, ranges]) => ({ port, slots: ranges }))
    }
  }
}

export interface Sentinels {
  primary: RedisNode
  replicas: RedisNode[]
  sentinelPorts: number[]
  name: string
  /** The port Sentinel names as primary now. */
  primaryPort: () => Promise<number>
}

/** A primary, `replicas` replicas and three Sentinels (quorum 2) that fail over after 1 s of silence. */
export async function startSentinels (t: Tap, replicas = 1): Promise<Sentinels> {
  const name = 'fault-primary'
  const primary = await redisNode(t, ['--appendonly', 'yes', '--appendfsync', 'everysec'])
  const replicaNodes: RedisNode[] = []
  for (let i = 0; i < replicas; i++) replicaNodes.push(await redisNode(t, ['--replicaof', '127.0.0.1', String(primary.port), '--appendonly', 'yes']))
  const sentinelPorts: number[] = []
  for (let i = 0; i < 3; i++) {
    const port = await freePort()
    const dir = tempDir(t, `sentinel-${port}`)
    const conf = join(dir, 'sentinel.conf')
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`
    ].join('\n') + '\n')
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' })
    const stopped = new Promise<void>((done) => child.on('exit', () => done()))
    t.teardown(async () => { child.kill('SIGKILL'); await stopped })
    sentinelPorts.push(port)
  }
  const primaryPort = async (): Promise<number> => {
    for (const port of sentinelPorts) {
      const out = spawnSync('redis-cli', ['-p', String(port), 'sentinel', 'get-master-addr-by-name', name], { encoding: 'utf8' }).stdout.trim().split('\n')
      if (out.length === 2) return Number(out[1])
    }
    return 0
  }
  // Sentinels know the replicas (and each other) before any failover is worth testing.
  for (let i = 0; i < 100; i++) {
    const known = sentinelPorts.map((port) => spawnSync('redis-cli', ['-p', String(port), 'sentinel', 'replicas', name], { encoding: 'utf8' }).stdout)
    const peers = sentinelPorts.map((port) => spawnSync('redis-cli', ['-p', String(port), 'sentinel', 'sentinels', name], { encoding: 'utf8' }).stdout)
    if (known.every((k) => replicaNodes.every((r) => k.includes(String(r.port)))) && peers.every((p) => (p.match(/\bip\b/g) ?? []).length >= 2)) break
    await sleep(100)
  }
  return { primary, replicas: replicaNodes, sentinelPorts, name, primaryPort }
}

/** An admin connection to a node (inspecting what it holds). */
export function inspect (t: Tap, port: number, options: { tls?: TlsFiles, acl?: boolean } = {}): Redis {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 1,
    ...(options.acl === true ? { username: 'admin', password: ADMIN_PASSWORD } : {}),
    ...(options.tls === undefined ? {} : { tls: { ca: options.tls.caPem } })
  })
  client.on('error', () => {})
  t.teardown(() => client.disconnect())
  return client
}

// ---------------------------------------------------------------------------------------------------
// TLS

export interface TlsFiles { ca: string, caPem: string, cert: string, key: string }

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
export function makeCertificates (t: Tap): TlsFiles {
  const dir = tempDir(t, 'tls')
  const run = (args: string[]): void => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`)
  }
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=sessiond fault suite CA'])
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'])
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext.cnf'])
  const ca = join(dir, 'ca.crt')
  return { ca, caPem: spawnSync('cat', [ca], { encoding: 'utf8' }).stdout, cert: join(dir, 'server.crt'), key: join(dir, 'server.key') }
}

// ---------------------------------------------------------------------------------------------------
// Writes that must survive: chat messages with an Idempotency-Key each, retried on 503 with the same key.

export interface Acked { session: string, key: string, id: string, seq: number, at: number }
/** A write that got 503 or no answer (retried with its key). */
export interface Refused { session: string, at: number }

/**
 * One writer: appends messages with fresh keys to `session` until stopped; a 503 (or a transport
 * error) is retried with the same key until it lands. Returns what was acknowledged.
 */
export function messageWriter (port: number, recorder: Recorder, agent: Agent, sessions: () => string, acked: Acked[], unknown: Set<string>, prefix: string, refused: Refused[] = []): (worker: number, n: number) => Promise<void> {
  return async (worker, n) => {
    const session = sessions()
    const key = `${prefix}-${worker}-${n}`
    for (let attempt = 0; attempt < 200; attempt++) {
      const answer = await recorder.track('POST message', call(port, 'POST', `/v1/sessions/${session}/messages`, {
        agent, headers: { 'idempotency-key': key }, body: { role: 'user', content: key }
      }))
      if (answer.status === 201) {
        const message = json<{ id: string, seq: number }>(answer)
        acked.push({ session, key, id: message.id, seq: message.seq, at: Date.now() })
        unknown.delete(key)
        return
      }
      if (answer.status !== 503 && answer.status !== 0) throw new Error(`POST message: ${answer.status} ${answer.body}`)
      unknown.add(key)
      refused.push({ session, at: Date.now() })
      await sleep(50)
    }
  }
}

/**
 * How an outage looked to writers of `sessions` from `since` on: when writes were refused (first to last
 * refusal, ms after `since`) and when the first write after the last refusal was acknowledged.
 */
export function outage (acked: Acked[], refused: Refused[], sessions: Set<string>, since: number): { refused_from_ms: number | null, refused_until_ms: number | null, recovered_ms: number | null } {
  const mine = refused.filter((r) => r.at >= since && sessions.has(r.session)).map((r) => r.at)
  const last = mine.length === 0 ? since : Math.max(...mine)
  const next = acked.filter((a) => a.at > last && sessions.has(a.session)).map((a) => a.at)
  return {
    refused_from_ms: mine.length === 0 ? null : Math.min(...mine) - since,
    refused_until_ms: mine.length === 0 ? null : last - since,
    recovered_ms: next.length === 0 ? null : Math.min(...next) - since
  }
}

/** Every message of a session, oldest first. */
export async function allMessages (port: number, session: string): Promise<Array<{ id: string, seq: number, content: string }>> {
  const messages: Array<{ id: string, seq: number, content: string }> = []
  let cursor: string | null = null
  do {
    const path = `/v1/sessions/${session}/messages?limit=200${cursor === null ? '' : `&cursor=${cursor}`}`
    let answer = await call(port, 'GET', path)
    // Reading back is not under test: a transport hiccup is retried (and said so), a status is not.
    for (let retry = 0; answer.status === 0 && retry < 3; retry++) {
      console.log(`# reading back ${path}: ${answer.error ?? 'no answer'} after ${answer.ms} ms, retrying`)
      await sleep(200)
      answer = await call(port, 'GET', path)
    }
    if (answer.status !== 200) throw new Error(`GET messages: ${answer.status} ${answer.error ?? ""} ${answer.body}`)
    const page = json<{ messages: Array<{ id: string, seq: number, content: string }>, next_cursor: string | null }>(answer)
    messages.push(...page.messages)
    cursor = page.next_cursor
  } while (cursor !== null)
  return messages
}

/** What survived: acknowledged messages missing, seq gaps and duplicates, per the stored histories. */
export async function audit (port: number, sessions: string[], acked: Acked[]): Promise<{ acknowledged: number, lost: Acked[], gaps: number, duplicates: number, stored: number }> {
  const present = new Map<string, { id: string, seq: number }>()
  let gaps = 0
  let duplicates = 0
  let stored = 0
  for (const session of sessions) {
    const messages = await allMessages(port, session)
    stored += messages.length
    messages.forEach((m, i) => {
      if (i > 0 && m.seq !== messages[i - 1]!.seq + 1) gaps++
      if (present.has(m.content)) duplicates++
      present.set(m.content, m)
    })
    if (messages.length > 0 && messages[0]!.seq !== 1) gaps++
  }
  const lost = acked.filter((a) => present.get(a.key)?.id !== a.id)
  return { acknowledged: acked.length, lost, gaps, duplicates, stored }
}

/** Creates `count` chat sessions; their ids. */
export async function createSessions (port: number, count: number, userId = 'fault-user'): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const answer = await call(port, 'POST', '/v1/sessions', { body: { user_id: userId, kind: 'chat' } })
    if (answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.body}`)
    ids.push(json<{ id: string }>(answer).id)
  }
  return ids
}
