// `--memory`: Redis bytes per session. N sessions of each shape are created through sessiond's API
// (many requests in flight, from the seeding worker) on an emptied Redis; used_memory delta ÷ N is the
// figure, and a MEMORY USAGE diff of every key, grouped by key type, says where the bytes went. The
// audit trail (one stream per UTC day, kept AUDIT_RETENTION_SECONDS whatever becomes of the sessions)
// is sized per change, not per session: it is reported apart, and the target applies without it.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { Options } from './options.js'
import type { Workspace } from './workspace.js'
import { startRedis, type PrivateRedis } from './redis-server.js'
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

/** Sessions per user in every shape (so a user's index stays the same kind of ZSET at any count). */
const SESSIONS_PER_USER = 40
/** After the last request: the audit trail and rate-limit counts are flushed at most every 100 ms. */
const FLUSH_SETTLE_MS = 1000
/** Key types (`scope:type`, see keyGroup) of the audit trail and of the per-slot expiry index. */
const AUDIT = 'global:audit'
const EXPIRY = 'global:expiry'

/** Key type of a sessiond key `<scope>:<system>:<env>:<type>:{id}:v2…` as `scope:type`; other keys as they start. */
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

/**
 * used_memory without the client connections' buffers (mem_clients_normal): those come and go with
 * traffic (the harness's own MEMORY USAGE pipelines, sessiond's query buffer while seeding) and belong
 * to no session.
 */
async function dataMemory (redis: PrivateRedis): Promise<{ usedMemory: number, clientBuffers: number, data: number }> {
  const memory = await redis.info('memory')
  const usedMemory = Number(memory.used_memory)
  const clientBuffers = Number(memory.mem_clients_normal ?? 0)
  return { usedMemory, clientBuffers, data: usedMemory - clientBuffers }
}

/** Entries in the audit streams among `keys`. */
async function auditEntries (client: Redis, keys: Iterable<string>): Promise<number> {
  let total = 0
  for (const key of keys) if (keyGroup(key) === AUDIT) total += await client.xlen(key)
  return total
}

export interface MemoryShapeResult {
  shape: string
  title: string
  sessions: number
  users: number
  requests: number
  seedSeconds: number
  /** used_memory Δ, client buffers left out (see dataMemory). */
  usedMemoryDelta: number
  /** The raw used_memory Δ and the client buffers' Δ within it. */
  rawUsedMemoryDelta: number
  clientBuffersDelta: number
  /** used_memory Δ ÷ sessions: everything, the audit trail included (no target). */
  bytesPerSession: number
  /** (used_memory Δ − the audit streams' MEMORY USAGE Δ) ÷ sessions: what the target applies to. */
  bytesPerSessionWithoutAudit: number
  limitBytes: number
  pass: boolean
  audit: {
    /** MEMORY USAGE Δ of the audit streams. */
    bytes: number
    /** Entries appended (XLEN Δ): one per change (POST session, PUT step, POST message …). */
    entries: number
    entriesPerSession: number
    bytesPerEntry: number
  }
  expiryIndex: {
    /** Expiry index keys after seeding (one per Cluster slot that holds a session; 16384 at most). */
    keys: number
    sessionsPerKey: number
    /** Their MEMORY USAGE Δ ÷ sessions. */
    bytesPerSession: number
  }
  /** Key type → MEMORY USAGE delta ÷ sessions (keys that grew or appeared). */
  byKeyType: Record<string, number>
}

interface MemoryRun { shape: string, title: string, count: number, group: typeof MEMORY_SHAPES[number]['group'] }

export async function runMemory (opts: Options, ws: Workspace): Promise<{ report: unknown, markdown: string, failures: number }> {
  const redis = await startRedis(ws.dir)
  ws.add(redis.stop)
  const ctx = { redisUrl: redis.url, jwtSecret: randomBytes(32).toString('hex'), dir: ws.dir, sessiondEnv: opts.sessiondEnv }
  const sessiond = await startSessiond(ctx)
  ws.add(async () => { await sessiond.stop() })
  // Redis 7 keeps a latency histogram (some 10–25 KB) per command name from its first call: a fixed
  // cost of the server, which would otherwise land on whichever measurement first runs a command.
  const latencyTracking = await redis.client.config('SET', 'latency-tracking', 'no').then(() => 'off', () => 'not configurable')
  // One session of each shape first, so that sessiond's scripts are loaded (Redis keeps them across
  // FLUSHALL) before any reading.
  await seedThroughApi({
    url: sessiond.url,
    jwtSecret: ctx.jwtSecret,
    concurrency: 1,
    groups: MEMORY_SHAPES.map(({ shape, group }) => ({ name: shape, users: { prefix: `mem-prime-${shape}-`, count: 1 }, sessionsPerUser: 1, keepIds: 0, ...group }))
  }, 'priming')
  const runs: MemoryRun[] = MEMORY_SHAPES.flatMap(({ shape, title, group }) => [
    { shape, title, count: opts.count, group },
    ...(shape === 'plain' && opts.memoryCount > 0 && opts.memoryCount !== opts.count ? [{ shape, title, count: opts.memoryCount, group }] : [])
  ])
  const results: MemoryShapeResult[] = []
  for (const [i, { shape, title, count, group }] of runs.entries()) {
    // Every measurement starts from an empty store, so that the keys sessions share (the per-slot
    // expiry indexes, the day's audit stream) are paid for by the sessions measured, and by them only.
    await redis.client.flushall('SYNC')
    await sleep(500)
    const before = await dataMemory(redis)
    const keysBefore = await keyUsage(redis.client)
    const auditBefore = await auditEntries(redis.client, keysBefore.keys())
    const users = Math.ceil(count / SESSIONS_PER_USER)
    const seeded = await seedThroughApi({
      url: sessiond.url,
      jwtSecret: ctx.jwtSecret,
      concurrency: opts.concurrency,
      groups: [{ name: shape, users: { prefix: `mem-${i}-${shape}-`, count: users }, sessionsPerUser: Math.ceil(count / users), keepIds: 0, ...group }]
    }, `${shape} ×${count}`)
    // What the service batches (audit entries, rate-limit counts) lands before the second reading.
    await sleep(FLUSH_SETTLE_MS)
    const after = await dataMemory(redis)
    const keysAfter = await keyUsage(redis.client)
    const auditAfter = await auditEntries(redis.client, keysAfter.keys())
    const deltas = new Map<string, number>()
    for (const [key, bytes] of keysAfter) {
      const delta = bytes - (keysBefore.get(key) ?? 0)
      if (delta !== 0) deltas.set(keyGroup(key), (deltas.get(keyGroup(key)) ?? 0) + delta)
    }
    const n = seeded.sessions
    const auditBytes = deltas.get(AUDIT) ?? 0
    const entries = auditAfter - auditBefore
    const expiryKeys = [...keysAfter.keys()].filter((key) => keyGroup(key) === EXPIRY).length
    const used = after.data - before.data
    const bytesPerSessionWithoutAudit = (used - auditBytes) / n
    const limit = MAX_BYTES_PER_SESSION[shape]!
    results.push({
      shape, title, sessions: n, users, requests: seeded.requests, seedSeconds: seeded.seconds,
      usedMemoryDelta: used,
      rawUsedMemoryDelta: after.usedMemory - before.usedMemory,
      clientBuffersDelta: after.clientBuffers - before.clientBuffers,
      bytesPerSession: used / n,
      bytesPerSessionWithoutAudit,
      limitBytes: limit,
      pass: bytesPerSessionWithoutAudit <= limit,
      audit: { bytes: auditBytes, entries, entriesPerSession: entries / n, bytesPerEntry: entries > 0 ? auditBytes / entries : 0 },
      expiryIndex: { keys: expiryKeys, sessionsPerKey: expiryKeys > 0 ? n / expiryKeys : 0, bytesPerSession: (deltas.get(EXPIRY) ?? 0) / n },
      byKeyType: Object.fromEntries([...deltas].sort((a, b) => b[1] - a[1]).map(([type, bytes]) => [type, bytes / n]))
    })
    const r = results.at(-1)!
    process.stderr.write(`bench: ${shape} ×${n}: ${num(r.bytesPerSessionWithoutAudit)} B/session without the audit trail, ${num(r.bytesPerSession)} with it; ` +
      `audit ${num(r.audit.bytesPerEntry)} B/entry × ${num(r.audit.entriesPerSession, 1)}/session; expiry index ${num(r.expiryIndex.bytesPerSession)} B/session ` +
      `(${r.expiryIndex.keys} keys) (${seeded.requests} requests in ${seeded.seconds.toFixed(1)} s)\n`)
  }
  const meta = {
    ...runMeta(), redisVersion: (await redis.info('server')).redis_version, count: opts.count, memoryCount: opts.memoryCount,
    sessionsPerUser: SESSIONS_PER_USER, flushSettleMs: FLUSH_SETTLE_MS, latencyTracking
  }
  const counts = [...new Set(runs.map((r) => r.count))].map((c) => num(c)).join(' or ')
  const markdown = [
    `Run ${String(meta.date)} on commit \`${String(meta.commit)}\`: ${counts} sessions per measurement through the API (${SESSIONS_PER_USER} per user), ` +
      `each on an emptied Redis, read ${FLUSH_SETTLE_MS} ms after the last request; redis-server ${String(meta.redisVersion)} (latency-tracking ${latencyTracking}). ` +
      'used_memory Δ leaves out client connection buffers; the target applies to the figure without the audit trail.',
    '',
    table(['shape', 'sessions', 'KiB/session without the audit trail', 'target', '', 'KiB/session with it', 'audit trail: entries/session × B/entry', 'expiry index: B/session (keys)', 'where it goes (MEMORY USAGE Δ per session, by key type)'],
      results.map((r) => [
        r.title, num(r.sessions), kib(r.bytesPerSessionWithoutAudit), `≤ ${kib(r.limitBytes)}`, mark(r.pass), kib(r.bytesPerSession),
        `${num(r.audit.entriesPerSession, 1)} × ${num(r.audit.bytesPerEntry)} B`,
        `${num(r.expiryIndex.bytesPerSession)} B (${num(r.expiryIndex.keys)})`,
        Object.entries(r.byKeyType).filter(([, b]) => Math.abs(b) >= 1).map(([type, b]) => `${type} ${num(b)} B`).join(', ')
      ]), [8])
  ].join('\n') + '\n'
  return { report: { kind: 'memory', meta, shapes: results }, markdown, failures: 0 }
}
