// The one test helper: a real redis-server per test file (started on first use, on a free loopback
// port), and an app per test with its own random key prefix (KEY_ENV), closed when the test ends.
import t from 'tap'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/redis/embedded-server.js'
import { loadConfig, type Config } from '../src/config.js'
import { buildApp, type BuildOptions } from '../src/app.js'
import { createKeys, type Keys } from '../src/redis/keys.js'

let server: Promise<EmbeddedRedis> | undefined

/** The test file's redis-server (one per file; each test isolates itself by key prefix). */
export async function testRedis (): Promise<EmbeddedRedis> {
  if (server === undefined) {
    server = startEmbeddedRedis({ dataDir: mkdtempSync(join(tmpdir(), 'sessiond-test-')), appendOnly: false })
    t.teardown(async () => {
      const redis = await server!
      await assertEveryKeyHasTtl(redis.url)
      await redis.stop()
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

type Tap = { teardown: (fn: () => unknown) => void }

export interface TestApp {
  app: FastifyInstance
  config: Config
  keys: Keys
  /** A separate raw client for looking at what is in Redis. */
  redis: Redis
  /** Every key this test's app has written (SCAN over its prefix). */
  allKeys: () => Promise<string[]>
}

/** Builds the app on the test file's Redis with a fresh key prefix; extra env overrides defaults. */
export async function buildTestApp (test: Tap, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const redisServer = await testRedis()
  const config = loadConfig({
    REDIS_URL: redisServer.url,
    KEY_ENV: `t${randomBytes(6).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ...env
  })
  const app = await buildApp(config, options)
  await app.ready()
  const redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 })
  const keys = createKeys(config.keys)
  test.teardown(async () => {
    await app.close()
    redis.disconnect()
  })
  const allKeys = async (): Promise<string[]> => {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', keys.everything(), 'COUNT', 1000)
      cursor = next
      found.push(...batch)
    } while (cursor !== '0')
    return found.sort()
  }
  return { app, config, keys, redis, allKeys }
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
