// `--memory`: Redis bytes per session. N sessions of each shape are created through sessiond's API
// (many requests in flight, from the seeding worker); used_memory delta ÷ N is the figure, and a
// MEMORY USAGE diff of every key, grouped by key type, says where the bytes went.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { Options } from './options.js'
import type { Workspace } from './workspace.js'
import { startRedis } from './redis-server.js'
import { startSessiond } from './servers.js'
import { seedThroughApi } from './seed-client.js'
import type { SeedGroup } from './seed-plan.js'
import { MESSAGE_CHARS, STEP_BYTES, STEPS_PER_ONBOARDING } from './scenarios.js'
import { MAX_BYTES_PER_SESSION } from '../targets.js'
import { runMeta } from './output.js'
import { kib, mark, num, table } from './format.js'

export const MEMORY_SHAPES: Array<{ shape: string, title: string, group: Omit<SeedGroup, 'users' | 'sessionsPerUser' | 'name' | 'keepIds'> }> = [
  { shape: 'plain', title: 'plain session (generic, no metadata)', group: { session: { kind: 'generic' } } },
  { shape: 'onboarding', title: `onboarding, ${STEPS_PER_ONBOARDING} steps of ${STEP_BYTES} B JSON`, group: { session: { kind: 'onboarding' }, steps: { count: STEPS_PER_ONBOARDING, bytes: STEP_BYTES } } },
  { shape: 'chat', title: `chat, 20 messages of ${MESSAGE_CHARS} chars`, group: { session: { kind: 'chat' }, messages: { count: 20, chars: MESSAGE_CHARS } } }
]

const USERS_PER_SHAPE = 50

/** Key type of a sessiond key `<scope>:<system>:<env>:<type>:{id}:v1…` as `scope:type`; other keys as they start. */
function keyGroup (key: string): string {
  const parts = key.split(':')
  return parts.length >= 4 ? `${parts[0]}:${parts[3]}` : parts[0] ?? key
}

async function keyUsage (client: Redis): Promise<Map<string, number>> {
  const usage = new Map<string, number>()
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 1000)
    cursor = next
    if (keys.length === 0) continue
    const pipeline = client.pipeline()
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0')
    const replies = (await pipeline.exec()) ?? []
    keys.forEach((key, i) => usage.set(key, Number(replies[i]?.[1] ?? 0)))
  } while (cursor !== '0')
  return usage
}

export interface MemoryShapeResult {
  shape: string
  title: string
  sessions: number
  requests: number
  seedSeconds: number
  usedMemoryDelta: number
  bytesPerSession: number
  limitBytes: number
  pass: boolean
  /** Key type → MEMORY USAGE delta ÷ sessions (keys that grew or appeared). */
  byKeyType: Record<string, number>
}

export async function runMemory (opts: Options, ws: Workspace): Promise<{ report: unknown, markdown: string, failures: number }> {
  const redis = await startRedis(ws.dir)
  ws.add(redis.stop)
  const ctx = { redisUrl: redis.url, jwtSecret: randomBytes(32).toString('hex'), dir: ws.dir }
  const sessiond = await startSessiond(ctx)
  ws.add(async () => { await sessiond.stop() })
  const perUser = Math.ceil(opts.count / USERS_PER_SHAPE)
  const results: MemoryShapeResult[] = []
  for (const { shape, title, group } of MEMORY_SHAPES) {
    await sleep(500)
    const before = await redis.usedMemory()
    const keysBefore = await keyUsage(redis.client)
    const seeded = await seedThroughApi({
      url: sessiond.url,
      jwtSecret: ctx.jwtSecret,
      concurrency: opts.concurrency,
      groups: [{ name: shape, users: { prefix: `mem-${shape}-`, count: USERS_PER_SHAPE }, sessionsPerUser: perUser, keepIds: 0, ...group }]
    }, shape)
    // Anything the service batches or finishes after answering lands before the second reading.
    await sleep(1000)
    const after = await redis.usedMemory()
    const keysAfter = await keyUsage(redis.client)
    const byKeyType: Record<string, number> = {}
    for (const [key, bytes] of keysAfter) {
      const delta = bytes - (keysBefore.get(key) ?? 0)
      if (delta !== 0) byKeyType[keyGroup(key)] = (byKeyType[keyGroup(key)] ?? 0) + delta / seeded.sessions
    }
    const bytesPerSession = (after - before) / seeded.sessions
    const limit = MAX_BYTES_PER_SESSION[shape]!
    results.push({
      shape, title, sessions: seeded.sessions, requests: seeded.requests, seedSeconds: seeded.seconds,
      usedMemoryDelta: after - before, bytesPerSession, limitBytes: limit, pass: bytesPerSession <= limit,
      byKeyType: Object.fromEntries(Object.entries(byKeyType).sort((a, b) => b[1] - a[1]))
    })
    process.stderr.write(`bench: ${shape}: ${seeded.sessions} sessions, ${num(bytesPerSession)} B/session (${seeded.requests} requests in ${seeded.seconds.toFixed(1)} s)\n`)
  }
  const meta = { ...runMeta(), redisVersion: (await redis.info('server')).redis_version, count: opts.count, usersPerShape: USERS_PER_SHAPE }
  const markdown = [
    `Run ${String(meta.date)} on commit \`${String(meta.commit)}\`: ${opts.count} sessions per shape through the API (${USERS_PER_SHAPE} users each), redis-server ${String(meta.redisVersion)}.`,
    '',
    table(['shape', 'KiB/session (used_memory Δ)', 'target', '', 'where it goes (MEMORY USAGE Δ per session, by key type)'],
      results.map((r) => [
        r.title, kib(r.bytesPerSession), `≤ ${kib(r.limitBytes)}`, mark(r.pass),
        Object.entries(r.byKeyType).filter(([, b]) => Math.abs(b) >= 1).map(([type, b]) => `${type} ${num(b)} B`).join(', ')
      ]), [4])
  ].join('\n') + '\n'
  return { report: { kind: 'memory', meta, shapes: results }, markdown, failures: 0 }
}
