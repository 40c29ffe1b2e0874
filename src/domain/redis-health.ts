// What `GET /v1/admin/health/redis` and `npx sessiond doctor` make of a Redis server's INFO: the figures
// of contract §9, and the warnings that name settings which lose sessions. Pure.
import type { RedisHealth, RedisNode, RedisWarning } from '../../schemas/admin.js'
import { isoFromMs } from './time.js'

export type InfoFields = Record<string, string>

/** INFO text → its fields (`name:value` lines; section headers and blank lines skipped). */
export function parseInfo (text: string): InfoFields {
  const fields: InfoFields = {}
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0 || line.startsWith('#')) continue
    fields[line.slice(0, colon)] = line.slice(colon + 1).trim()
  }
  return fields
}

/** Keys and keys with a TTL over every database (`db0:keys=3,expires=3,avg_ttl=0`). */
function keyspace (info: InfoFields): { keys: number, expires: number } {
  let keys = 0
  let expires = 0
  for (const [name, value] of Object.entries(info)) {
    if (!/^db\d+$/.test(name)) continue
    keys += Number(/keys=(\d+)/.exec(value)?.[1] ?? 0)
    expires += Number(/expires=(\d+)/.exec(value)?.[1] ?? 0)
  }
  return { keys, expires }
}

const int = (value: string | undefined): number => {
  const n = Number(value ?? 0)
  return Number.isFinite(n) && n >= 0 ? Math.trunc(n) : 0
}

/** What one server says about itself. `save` is CONFIG GET save ('' = no snapshots), null when CONFIG is refused. */
export interface NodeFacts { address: string, info: InfoFields, save: string | null, clusterState: string | null }

export function nodeReport ({ address, info, save, clusterState }: NodeFacts): RedisNode {
  const lastSave = int(info.rdb_last_save_time)
  return {
    address,
    version: info.redis_version ?? 'unknown',
    role: info.role === 'slave' ? 'replica' : info.role ?? 'unknown',
    uptime_s: int(info.uptime_in_seconds),
    memory: { used_bytes: int(info.used_memory), maxmemory_bytes: int(info.maxmemory), policy: info.maxmemory_policy ?? 'unknown' },
    persistence: { aof: info.aof_enabled === '1', rdb: save === null ? null : save.trim() !== '', rdb_last_save_at: lastSave > 0 ? isoFromMs(lastSave * 1000) : null },
    keyspace: keyspace(info),
    clients: int(info.connected_clients),
    cluster_state: clusterState
  }
}

/** The oldest Redis every session script runs on (contract §10: plain Redis ≥ 6.2). */
export const MIN_REDIS_VERSION: readonly [number, number] = [6, 2]

export function versionBelow (version: string, [major, minor]: readonly [number, number]): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version)
  if (match === null) return false
  const [have, haveMinor] = [Number(match[1]), Number(match[2])]
  return have < major || (have === major && haveMinor < minor)
}

/** The settings of these servers that lose sessions, each with what to change. */
export function warningsFor (nodes: readonly RedisNode[]): RedisWarning[] {
  const warnings: RedisWarning[] = []
  for (const node of nodes) {
    const { address, memory, persistence } = node
    if (/^(allkeys|volatile)-/.test(memory.policy)) {
      const limit = memory.maxmemory_bytes === 0 ? ' (maxmemory is 0 now, so nothing is evicted until a limit is set)' : ''
      warnings.push({
        code: 'eviction_policy',
        node: address,
        message: `maxmemory-policy is ${memory.policy}: when memory is full Redis deletes live sessions to make room${limit}. ` +
          'Every sessiond key has a TTL, so volatile-* policies evict sessions just like allkeys-*',
        fix: 'CONFIG SET maxmemory-policy noeviction (and in redis.conf): a full Redis then refuses writes (503) instead of losing sessions; size maxmemory for the live sessions'
      })
    }
    if (!persistence.aof && persistence.rdb === false) {
      warnings.push({
        code: 'no_persistence',
        node: address,
        message: 'neither AOF nor RDB snapshots are on: a restart of this server loses every session',
        fix: 'CONFIG SET appendonly yes and appendfsync everysec (and in redis.conf), or schedule snapshots with `save`; back up with `npx sessiond export`'
      })
    }
    if (versionBelow(node.version, MIN_REDIS_VERSION)) {
      warnings.push({
        code: 'old_version',
        node: address,
        message: `Redis ${node.version} is older than ${MIN_REDIS_VERSION.join('.')}, which sessiond needs (commands its scripts use)`,
        fix: `upgrade Redis to ${MIN_REDIS_VERSION.join('.')} or later (or a Valkey release)`
      })
    }
    if (node.cluster_state !== null && node.cluster_state !== 'ok') {
      warnings.push({
        code: 'cluster_state',
        node: address,
        message: `cluster_state is ${node.cluster_state}: the sessions of slots without a serving master cannot be read or written`,
        fix: 'redis-cli --cluster check <host:port>, then bring the failed masters back or fail over to their replicas (redis-cli --cluster fix)'
      })
    }
  }
  return warnings
}

export type CommandLatency = RedisHealth['command_latency_ms']

/** The report: the nodes, summed (memory, keys, clients) or at their weakest (version, uptime), with the warnings. */
export function healthReport (input: { mode: RedisHealth['mode'], nodes: RedisNode[], pool: RedisHealth['pool'], latency: CommandLatency }): RedisHealth {
  const { nodes } = input
  const sum = (pick: (node: RedisNode) => number): number => nodes.reduce((total, node) => total + pick(node), 0)
  const oldest = nodes.reduce<RedisNode | undefined>((found, node) =>
    found === undefined || versionBelow(node.version, versionParts(found.version)) ? node : found, undefined)
  const policies = [...new Set(nodes.map((node) => node.memory.policy))]
  const lastSaves = nodes.map((node) => node.persistence.rdb_last_save_at).filter((at): at is string => at !== null).sort()
  const rdb = nodes.map((node) => node.persistence.rdb)
  return {
    mode: input.mode,
    version: oldest?.version ?? 'unknown',
    role: [...new Set(nodes.map((node) => node.role))].join(',') || 'unknown',
    uptime_s: nodes.length === 0 ? 0 : Math.min(...nodes.map((node) => node.uptime_s)),
    memory: { used_bytes: sum((n) => n.memory.used_bytes), maxmemory_bytes: sum((n) => n.memory.maxmemory_bytes), policy: policies.join(',') || 'unknown' },
    persistence: {
      aof: nodes.length > 0 && nodes.every((node) => node.persistence.aof),
      rdb: rdb.includes(null) ? null : nodes.length > 0 && rdb.every(Boolean),
      rdb_last_save_at: lastSaves[0] ?? null
    },
    keyspace: { keys: sum((n) => n.keyspace.keys), expires: sum((n) => n.keyspace.expires) },
    clients: sum((n) => n.clients),
    nodes,
    pool: input.pool,
    command_latency_ms: input.latency,
    warnings: warningsFor(nodes)
  }
}

function versionParts (version: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(version)
  return match === null ? [0, 0] : [Number(match[1]), Number(match[2])]
}

/** The q-quantile of a cumulative histogram (bucket upper bounds `le`, +Inf last), interpolated like PromQL's histogram_quantile. */
export function histogramQuantile (q: number, buckets: ReadonlyArray<{ le: number, count: number }>): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le)
  const total = sorted.at(-1)?.count ?? 0
  if (total === 0) return null
  const rank = q * total
  let lower = 0
  let below = 0
  for (const { le, count } of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower // beyond the last finite bucket: its bound
      return lower + (le - lower) * ((rank - below) / Math.max(count - below, 1))
    }
    lower = le
    below = count
  }
  return lower
}

/** The q-quantile of raw samples (nearest rank). */
export function sampleQuantile (q: number, samples: readonly number[]): number | null {
  if (samples.length === 0) return null
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}
