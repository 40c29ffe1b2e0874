// What every command needs: the configuration from the same environment as the server (and ./.env),
// one Redis connection, and the repositories over it (the command line talks to Redis directly, never
// through the HTTP API). The embedded Redis of `npm start` lives only inside the server: a command
// needs REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS.
import { loadConfig, ConfigError, type Config } from '../config.js'
import { createRedisClient } from '../redis/client.js'
import { createKeys } from '../redis/keys.js'
import { RedisStore, type RedisObserver } from '../redis/store.js'
import { createRepositories, closeRepositories, type Repositories } from '../repositories/index.js'
import { withDeadline } from '../deadline.js'

/** A command's Redis calls may take this long at least (a backup reads large sessions; nobody waits on a request). */
const MIN_COMMAND_TIMEOUT_MS = 10_000

/** A command line that cannot run: a bad argument (with the usage), a bad setting or an unreachable Redis (without). */
export class UsageError extends Error {
  constructor (message: string, readonly showUsage = false) {
    super(message)
    this.name = 'UsageError'
  }
}

export const NO_REDIS_MESSAGE = [
  'no Redis is configured. Set REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME)',
  'to the Redis sessiond uses, in the environment or in ./.env. The embedded Redis that `npm start` runs in',
  'development lives only while the server runs; its address is in the server log ("embedded redis-server',
  'pid … listening on 127.0.0.1:<port>"): REDIS_URL=redis://127.0.0.1:<port> reaches it meanwhile.'
].join('\n')

export interface CliContext {
  config: Config
  store: RedisStore
  repos: Repositories
  close: () => Promise<void>
}

export function cliConfig (env: Record<string, string | undefined>): Config {
  let config: Config
  try {
    config = loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message)
    throw err
  }
  if (config.redis.mode === 'embedded') throw new UsageError(NO_REDIS_MESSAGE)
  return { ...config, redis: { ...config.redis, commandTimeoutMs: Math.max(config.redis.commandTimeoutMs, MIN_COMMAND_TIMEOUT_MS) } }
}

export async function openContext (env: Record<string, string | undefined>, observe?: RedisObserver): Promise<CliContext> {
  const config = cliConfig(env)
  const client = createRedisClient(config.redis)
  client.on('error', () => {}) // reported by the command that fails
  try {
    await withDeadline(config.redis.connectTimeoutMs, (async () => {
      await client.connect()
      await client.ping()
    })(), 'connect and PING')
  } catch (err) {
    client.disconnect()
    throw new UsageError(`cannot reach Redis (${config.redis.mode}): ${(err as Error).message}`)
  }
  const store = new RedisStore(client, createKeys(config.keys), observe)
  const repos = createRepositories(store, config)
  return {
    config,
    store,
    repos,
    close: async () => {
      await closeRepositories(repos)
      await client.quit().catch(() => client.disconnect())
    }
  }
}
