// The one test helper: a real redis-server per test file (started on first use, on a free loopback
// port), and an app per test with its own random key prefix (KEY_ENV), closed when the test ends.
import t from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { FastifyInstance, FastifyPluginAsync, LightMyRequestResponse } from 'fastify'
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/redis/embedded-server.js'
import { loadConfig, type Config } from '../src/config.js'
import { buildApp, type BuildOptions } from '../src/app.js'
import { createKeys, type Keys } from '../src/redis/keys.js'
import { createRedisClient } from '../src/redis/client.js'
import { RedisStore } from '../src/redis/store.js'
import { createRepositories, closeRepositories, type Repositories } from '../src/repositories/index.js'
import { aclRule } from '../src/redis/acl.js'
import { SignJWT } from 'jose'
import type { BrowserContext } from 'playwright-core'

let server: Promise<EmbeddedRedis> | undefined

/**
 * SESSIOND_TEST_REDIS_ACL=1: apps and stores under test reach Redis as a user with exactly sessiond's
 * ACL rule (src/redis/acl.ts), so a command it lacks fails a test with NOPERM; the tests' own inspecting
 * connections keep the default user.
 */
const ACL_USER = process.env.SESSIOND_TEST_REDIS_ACL === '1' ? { user: 'sessiond', password: 'sessiond-test-password', system: 'sessiond', env: '*' } : undefined

/** A fresh folder under the system temp folder, removed when `test` ends (tests leave nothing behind). */
export function tempDir (test: Tap, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sessiond-${prefix}-`))
  test.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The test file's redis-server (one per file; each test isolates itself by key prefix). */
export async function testRedis (): Promise<EmbeddedRedis> {
  if (server === undefined) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessiond-test-'))
    server = startEmbeddedRedis({ dataDir, appendOnly: false, extraArgs: ACL_USER === undefined ? [] : ['--user', ...aclRule(ACL_USER).split(' ')] })
    t.teardown(async () => {
      const redis = await server!
      try {
        await assertEveryKeyHasTtl(redis.url)
      } finally {
        await redis.stop()
        rmSync(dataDir, { recursive: true, force: true })
      }
    })
  }
  return await server
}

/** The contract's invariant, checked after every test file: no key of the service is left without a TTL. */
async function assertEveryKeyHasTtl (url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    const immortal: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 1000)
      cursor = next
      for (const key of batch) if (await client.pttl(key) === -1) immortal.push(key)
    } while (cursor !== '0')
    if (immortal.length > 0) throw new Error(`keys without a TTL after the test file: ${immortal.join(', ')}`)
  } finally {
    client.disconnect()
  }
}

export type Tap = { teardown: (fn: () => unknown) => void }

export interface TestApp {
  app: FastifyInstance
  config: Config
  keys: Keys
  /** A separate raw client for looking at what is in Redis. */
  redis: Redis
  /** Every key this test's app has written (SCAN over its prefix); rate-limit counters, the audit trail
   * (with its pseudonyms) and the slots' expiry indexes, which sessions share, only with `{ bookkeeping: true }`. */
  allKeys: (options?: { bookkeeping?: boolean }) => Promise<string[]>
}

export interface TestBuildOptions extends BuildOptions {
  /** Test-only routes, registered under /v1 before the app is ready (they pass every /v1 hook). */
  extraRoutes?: FastifyPluginAsync
}

/** A key ring for tests of encryption at rest (fixed bytes: these keys protect nothing). */
export const TEST_ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')},k0:${Buffer.alloc(32, 2).toString('base64')}`

/**
 * SESSIOND_TEST_ENCRYPTION=1 (npm run test:encrypted): every app and store under test seals content with
 * TEST_ENCRYPTION_KEYS (contract §13), so the same tests prove that responses do not change.
 */
const ENCRYPTION_ENV: Record<string, string> = process.env.SESSIOND_TEST_ENCRYPTION === '1' ? { ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS } : {}

/** For tests that read the plaintext storage format itself: encryption off whatever SESSIOND_TEST_ENCRYPTION says. */
export const PLAINTEXT_STORAGE: Record<string, string> = { ENCRYPTION_KEYS: '' }

/** A config on the test file's Redis with a fresh key prefix (KEY_ENV); extra env overrides defaults. */
async function testConfig (env: Record<string, string>): Promise<Config> {
  const redisServer = await testRedis()
  const url = ACL_USER === undefined ? redisServer.url : redisServer.url.replace('redis://', `redis://${ACL_USER.user}:${ACL_USER.password}@`)
  return loadConfig({
    REDIS_URL: url,
    KEY_ENV: `t${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: 'silent',
    // Tests send bursts; the rate-limit tests set their own limit.
    RATE_LIMIT_MAX: '1000000',
    ...ENCRYPTION_ENV,
    ...env
  })
}

const BOOKKEEPING = /^(global:[^:]+:[^:]+:(ratelimit|audit|expiry|principal)|user:[^:]+:[^:]+:pseudonym):/

/** A raw client for looking at what is in Redis, and the SCAN of one key prefix. */
function inspector (test: Tap, config: Config): Pick<TestApp, 'redis' | 'keys' | 'allKeys'> {
  // The default user: the tests look at everything, whatever the app's own user may do.
  const redis = new Redis(config.redis.url!.replace(/\/\/[^@/]+@/, '//'), { lazyConnect: false, maxRetriesPerRequest: 1 })
  test.teardown(() => redis.disconnect())
  const keys = createKeys(config.keys)
  const allKeys = async (options: { bookkeeping?: boolean } = {}): Promise<string[]> => {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', keys.everything(), 'COUNT', 1000)
      cursor = next
      found.push(...batch)
    } while (cursor !== '0')
    return found.filter((key) => options.bookkeeping === true || !BOOKKEEPING.test(key)).sort()
  }
  return { redis, keys, allKeys }
}

/** Builds the app on the test file's Redis with a fresh key prefix; extra env overrides defaults. */
export async function buildTestApp (test: Tap, env: Record<string, string> = {}, options: TestBuildOptions = {}): Promise<TestApp> {
  const config = await testConfig(env)
  const app = await buildApp(config, { ...options, apiRoutes: options.extraRoutes })
  await app.ready()
  test.teardown(async () => { await app.close() })
  return { app, config, ...inspector(test, config) }
}

export interface TestStore extends Pick<TestApp, 'config' | 'keys' | 'redis' | 'allKeys'> {
  store: RedisStore
  repos: Repositories
}

/** The repositories alone on the test file's Redis, with a fresh key prefix: no Fastify. */
export async function buildTestStore (test: Tap, env: Record<string, string> = {}): Promise<TestStore> {
  const config = await testConfig(env)
  const client = createRedisClient(config.redis)
  await client.connect()
  const store = new RedisStore(client, createKeys(config.keys))
  const repos = createRepositories(store, config)
  test.teardown(async () => {
    await closeRepositories(repos)
    client.disconnect()
  })
  return { config, store, repos, ...inspector(test, config) }
}

export function json<T = any> (response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T
}

/** Creates a session through the API and returns its body. */
export async function createSession (app: FastifyInstance, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<any> {
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { user_id: 'user-1', ...body }, headers })
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`)
  return json(response)
}

export const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

export interface PrivateRedis {
  /** The running redis-server (a new one after restart()). */
  readonly server: EmbeddedRedis
  readonly dataDir: string
  /** Starts a new redis-server on the same port and data directory. */
  restart: () => Promise<EmbeddedRedis>
}

/** A redis-server of the test's own, for tests that pause, stop, kill, slow down or restart it. */
export async function privateRedis (test: Tap, options: { appendOnly?: boolean, extraArgs?: string[], port?: number } = {}): Promise<PrivateRedis> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiond-private-'))
  const appendOnly = options.appendOnly ?? false
  const extraArgs = options.extraArgs ?? []
  let server = await startEmbeddedRedis({ dataDir, appendOnly, extraArgs, port: options.port })
  const port = server.port
  test.teardown(async () => {
    if (isAlive(server.pid)) process.kill(server.pid, 'SIGCONT') // a paused server cannot stop
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    get server () { return server },
    dataDir,
    restart: async () => {
      server = await startEmbeddedRedis({ dataDir, appendOnly, extraArgs, port })
      return server
    }
  }
}

/**
 * Makes every command on a redis-server (started with `--enable-debug-command yes`) wait about `ms`:
 * a second connection runs DEBUG SLEEP back to back, so a command waits for the sleep under way and,
 * usually, the next command of the same request for another one. Returns stop().
 */
export function slowDown (url: string, ms: number): { stop: () => Promise<void> } {
  const sleeper = new Redis(url, { maxRetriesPerRequest: 0, commandTimeout: ms * 4 })
  let running = true
  const loop = (async () => {
    while (running) await sleeper.call('DEBUG', 'SLEEP', String(ms / 1000)).catch(async () => await sleep(10))
  })()
  return {
    stop: async () => {
      running = false
      await loop
      sleeper.disconnect()
    }
  }
}

/** A loopback port nothing listens on (at the time of asking). */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Redis Cluster talks between nodes on port + 10000: a node's port must leave that one valid and free. */
const CLUSTER_BUS_OFFSET = 10_000

/** A free port for a Cluster node whose bus port (+ 10000) is valid and free too; `taken`: other nodes' ports. */
export async function freeClusterPort (taken: readonly number[] = []): Promise<number> {
  const used = taken.flatMap((p) => [p, p + CLUSTER_BUS_OFFSET])
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = await freePort()
    if (port + CLUSTER_BUS_OFFSET > 65_535 || used.includes(port) || used.includes(port + CLUSTER_BUS_OFFSET)) continue
    if (await refusesConnections(port + CLUSTER_BUS_OFFSET)) return port
  }
  throw new Error('no free port for a Cluster node whose bus port (+10000) is free too')
}

/** True when a connection to the loopback port is refused. */
export async function refusesConnections (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('connect', () => { socket.destroy(); resolve(false) })
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'))
  })
}

export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// Credentials. buildTestApp(t) runs open (no credentials); buildTestApp(t, authEnv) turns them on.
export const serviceKey = 'svc-test-key-0123456789abcdef0123456789'
export const adminKey = 'adm-test-key-0123456789abcdef0123456789'
export const jwtSecret = 'jwt-test-secret-0123456789abcdef0123456789'
/** API_KEYS (name "backend"), ADMIN_API_KEYS (name "ops") and JWT_SECRET. */
export const authEnv: Record<string, string> = {
  API_KEYS: `backend:${serviceKey}`,
  ADMIN_API_KEYS: `ops:${adminKey}`,
  JWT_SECRET: jwtSecret
}

/** `{ authorization: 'Bearer <token>' }` */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

export interface TokenOptions {
  /** Seconds until exp (negative: already expired); default 300. */
  expiresIn?: number
  /** HS256 secret; default the authEnv JWT_SECRET (another one gives a wrong signature). */
  secret?: string
  issuer?: string
  audience?: string
  /** Leave out the exp claim. */
  noExp?: boolean
  /** Seconds from now of the iat claim (default -1). */
  issuedIn?: number
  /** Seconds from now of an nbf claim (default: none). */
  notBeforeIn?: number
}

/** An HS256 end-user JWT whose subject is `sub`. */
export async function userToken (sub: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now + (options.issuedIn ?? -1))
  if (options.notBeforeIn !== undefined) jwt = jwt.setNotBefore(now + options.notBeforeIn)
  if (options.noExp !== true) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 300))
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer)
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience)
  return await jwt.sign(new TextEncoder().encode(options.secret ?? jwtSecret))
}

// Browser tests drive Debian's chromium with playwright-core (never a browser playwright downloads).
export const CHROMIUM_PATH = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * For a browser test's `skip` option: false when it runs; with SESSIOND_SKIP_BROWSER=1 the reason it is
 * skipped. Without chromium (and without that opt-out) it throws, so a machine missing it fails loudly.
 */
export function browserTestSkipped (): string | false {
  if (process.env.SESSIOND_SKIP_BROWSER === '1') return 'SESSIOND_SKIP_BROWSER=1: browser tests skipped'
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set SESSIOND_SKIP_BROWSER=1 to skip the browser tests`)
  }
  return false
}

/** Headless chromium with a fresh profile, closed and removed when the test ends. */
export async function launchBrowser (test: Tap): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core')
  const profile = mkdtempSync(join(tmpdir(), 'sessiond-chromium-'))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }
  })
  test.teardown(async () => {
    await browser.close()
    rmSync(profile, { recursive: true, force: true })
  })
  return browser
}
