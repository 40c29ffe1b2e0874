// One factory for every topology. The options are chosen so that a request never waits on Redis for
// longer than REDIS_COMMAND_TIMEOUT_MS and a write is never silently re-sent (docs/decisions/0002).
import { Redis, Cluster, type RedisOptions, type ClusterOptions } from 'ioredis'
import type { RedisConfig } from '../config.js'
import { coalesceWrites } from './coalesced-writes.js'

export type RedisClient = Redis | Cluster

/** Reconnect quickly but not in a tight loop: 50 ms, 100 ms … capped at 1 s. */
export const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 10), 1000)

/** Per-connection options shared by every topology. */
export function connectionOptions (config: RedisConfig): RedisOptions {
  return {
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: config.connectTimeoutMs,
    // A command in flight when the connection drops fails instead of being re-sent: a re-sent Lua
    // append could apply twice. Clients retry with Idempotency-Key instead.
    maxRetriesPerRequest: 0,
    // While disconnected, fail at once (→ 503) instead of queueing requests until Redis returns.
    enableOfflineQueue: false,
    // No auto-pipelining by default: it holds each batch until the previous one is answered, so behind a
    // stalled command every later one waits a full timeout before its own starts (docs/decisions/0403).
    enableAutoPipelining: config.writes === 'auto-pipeline',
    retryStrategy: reconnectDelay,
    // After a failover the old primary answers READONLY: reconnect and re-send (the write was not applied).
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    lazyConnect: true,
    username: config.username,
    password: config.password,
    ...(config.tls ? { tls: {} } : {})
  }
}

export function createRedisClient (config: RedisConfig, url?: string): RedisClient {
  const client = newClient(config, url)
  if (config.writes === 'coalesce') coalesceWrites(client)
  return client
}

function newClient (config: RedisConfig, url?: string): RedisClient {
  const options = connectionOptions(config)
  switch (config.mode) {
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: options,
        enableOfflineQueue: false,
        enableAutoPipelining: config.writes === 'auto-pipeline',
        maxRedirections: 8,
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        clusterRetryStrategy: reconnectDelay,
        lazyConnect: true,
        slotsRefreshTimeout: config.connectTimeoutMs,
        ...(config.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {})
      }
      return new Cluster(config.clusterNodes, clusterOptions)
    }
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: config.sentinels,
        name: config.sentinelName,
        sentinelUsername: config.username,
        sentinelPassword: config.password,
        sentinelRetryStrategy: reconnectDelay,
        enableTLSForSentinelMode: config.tls
      })
    default: {
      const target = url ?? config.url
      if (target === undefined) throw new Error('createRedisClient: no Redis URL for a standalone connection')
      // rediss:// turns TLS on; user and password in the URL override REDIS_USERNAME / REDIS_PASSWORD.
      return new Redis(target, options)
    }
  }
}

interface Queues { commandQueue?: { length: number }, offlineQueue?: { length: number } }

/** Commands sent and not answered yet (timed-out ones included until Redis answers), over every connection. */
export function pendingCommands (client: RedisClient): number {
  const queued = (c: unknown): number => ((c as Queues).commandQueue?.length ?? 0) + ((c as Queues).offlineQueue?.length ?? 0)
  if (client instanceof Cluster) return queued(client) + client.nodes('all').reduce((sum, node) => sum + queued(node), 0)
  return queued(client)
}

export function topologyOf (client: RedisClient): 'standalone' | 'cluster' | 'sentinel' {
  if (client instanceof Cluster) return 'cluster'
  return client.options.sentinels !== null && client.options.sentinels !== undefined && client.options.sentinels.length > 0
    ? 'sentinel'
    : 'standalone'
}
