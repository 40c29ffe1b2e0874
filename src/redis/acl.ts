// The least privilege sessiond needs on Redis (docs/redis.md): the commands it sends, its own key and
// channel patterns, nothing else. The test suites run against a user with exactly this rule
// (test/fault/tls-acl.test.ts; SESSIOND_TEST_REDIS_ACL=1 npm test for the whole suite), so a new command
// fails there (NOPERM) before it fails on an operator's managed Redis.

/**
 * Commands sessiond sends itself: scripts, the few direct reads and writes, the change channel's
 * subscriptions, SCAN for backups, migrations and rotations, health and diagnostics (CONFIG GET reads
 * the persistence settings `doctor` checks; refused, the report says "unknown").
 */
export const SESSIOND_COMMANDS = [
  'evalsha', 'eval', 'ping', 'info', 'multi', 'exec', 'scan', 'config|get',
  'get', 'set', 'del', 'pexpire', 'sadd', 'smembers', 'zrange', 'zrem', 'zrevrangebyscore', 'xrange', 'xdel', 'hgetall',
  'subscribe', 'unsubscribe', 'ssubscribe', 'sunsubscribe'
] as const

/** Commands the Lua scripts run (Redis checks each against the user's rule too). */
export const SCRIPT_COMMANDS = [
  'hset', 'hget', 'hmget', 'hgetall', 'hdel', 'exists', 'hlen', 'hincrby', 'lrange', 'llen', 'lindex', 'lset', 'rpush', 'rpop', 'ltrim',
  'zadd', 'zrangebyscore', 'zcount', 'xadd', 'incrby', 'expire', 'pexpireat', 'pttl', 'time', 'publish', 'spublish'
] as const

/** What ioredis sends on its own: the connection handshake, and on a Cluster the slot map. */
export const CLIENT_COMMANDS = ['cluster|slots', 'cluster|info', 'client|setname'] as const

export interface AclOptions { user: string, password: string, system: string, env: string }

/** The `ACL SETUSER` arguments (or a users.acl line after `user`) for sessiond's Redis user. */
export function aclRule ({ user, password, system, env }: AclOptions): string {
  const commands = [...new Set([...SESSIOND_COMMANDS, ...SCRIPT_COMMANDS, ...CLIENT_COMMANDS])].map((c) => `+${c}`).join(' ')
  return `${user} on >${password} resetkeys ~*:${system}:${env}:* resetchannels &*:${system}:${env}:* -@all ${commands}`
}
