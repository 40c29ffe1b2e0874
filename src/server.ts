// The only file with side effects: load config, start the embedded Redis when asked, build the app,
// listen, and shut down gracefully (readiness 503 at once, in-flight requests finish, Redis closes).
import 'dotenv/config'
import closeWithGrace from 'close-with-grace'
import { loadConfig, ConfigError, type Config } from './config.js'
import { buildApp } from './app.js'
import { startEmbeddedRedis, RedisServerMissingError, type EmbeddedRedis } from './redis/embedded-server.js'

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const
const SIGNAL_ECHO_MS = 1000

function fail (message: string): never {
  process.stderr.write(`sessiond: ${message}\n`)
  process.exit(1)
}

async function main (): Promise<void> {
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }

  let embedded: EmbeddedRedis | undefined
  if (config.redis.mode === 'embedded') {
    try {
      embedded = await startEmbeddedRedis({
        dataDir: config.redis.dataDir,
        log: { info: (m) => process.stdout.write(`sessiond: ${m}\n`), warn: (m) => process.stderr.write(`sessiond: ${m}\n`) }
      })
    } catch (err) {
      if (err instanceof RedisServerMissingError) fail(err.message)
      throw err
    }
    config = { ...config, redis: { ...config.redis, url: embedded.url } }
  }

  const app = await buildApp(config).catch(async (err: Error) => {
    await embedded?.stop()
    fail(err.message)
  })
  if (embedded !== undefined) {
    app.log.info({ redis_url: embedded.url, data_dir: embedded.dataDir, redis_pid: embedded.pid }, 'embedded redis-server started (development default)')
  }

  const grace = closeWithGrace({ delay: config.shutdownGraceMs, logger: app.log, skip: [...STOP_SIGNALS] }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unexpected error')
    else if (signal !== undefined) app.log.info({ signal }, 'shutting down')
    // preClose turns readiness to 503 at once; close() lets in-flight requests finish and quits Redis.
    await app.close()
    await embedded?.stop()
  })
  // Ctrl-C in a terminal and `kill -TERM -<pgid>` reach both npm and us, and npm forwards its copy:
  // copies arriving together are one request to stop, not the "second signal" that forces an exit.
  // Our listeners stay installed throughout (close-with-grace swaps its own, and a signal landing in
  // between gets the default action: death without a graceful close).
  let stopRequestedAt: number | undefined
  for (const stopSignal of STOP_SIGNALS) {
    process.on(stopSignal, () => {
      if (stopRequestedAt === undefined) {
        stopRequestedAt = Date.now()
        app.log.info({ signal: stopSignal }, 'shutting down')
        void grace.close()
      } else if (Date.now() - stopRequestedAt > SIGNAL_ECHO_MS) {
        app.log.error({ signal: stopSignal }, 'second stop signal: exiting without waiting')
        process.exit(1)
      }
    })
  }

  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    await app.close()
    await embedded?.stop()
    fail(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`)
  }
}

await main()
