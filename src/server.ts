// The only file with side effects: load config, start the embedded Redis when asked, build the app,
// listen, and shut down gracefully: on SIGTERM readiness turns 503 at once while the listener keeps
// serving for SHUTDOWN_DRAIN_MS (load balancers stop sending), then the server closes, in-flight
// requests finish within SHUTDOWN_GRACE_MS, and Redis closes (docs/decisions/0407).
import 'dotenv/config'
import closeWithGrace from 'close-with-grace'
import { loadConfig, ConfigError, type Config } from './config.js'
import { buildApp } from './app.js'
import { startEmbeddedRedis, RedisServerMissingError, type EmbeddedRedis } from './redis/embedded-server.js'
import { allowPretenuring, boundHeapGrowth } from './heap.js'

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
  boundHeapGrowth(config.heapGrowingPercent)
  allowPretenuring(config.heapPretenuring)

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

  let stopSignal: NodeJS.Signals | undefined
  const drainMs = config.shutdownDrainMs
  const grace = closeWithGrace({ delay: drainMs + config.shutdownGraceMs, logger: app.log, skip: [...STOP_SIGNALS] }, async ({ err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an unexpected error')
    // Readiness 503 at once. On SIGTERM (an orchestrator) the listener keeps serving while load
    // balancers notice; Ctrl-C (SIGINT) and an error stop without the pause.
    app.lifecycle.shuttingDown = true
    if (stopSignal === 'SIGTERM' && drainMs > 0) {
      app.log.info({ drain_ms: drainMs }, 'draining: readiness 503, still serving')
      await new Promise((resolve) => setTimeout(resolve, drainMs))
    }
    // preClose hooks (event streams end), then no new connections; in-flight requests finish; Redis quits.
    await app.close()
    await embedded?.stop()
  })
  // Ctrl-C in a terminal and `kill -TERM -<pgid>` reach both npm and us, and npm forwards its copy:
  // copies arriving together are one request to stop, not the "second signal" that forces an exit.
  // Our listeners stay installed throughout (close-with-grace swaps its own, and a signal landing in
  // between gets the default action: death without a graceful close).
  let stopRequestedAt: number | undefined
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopRequestedAt === undefined) {
        stopRequestedAt = Date.now()
        stopSignal = signal
        app.log.info({ signal }, 'shutting down')
        void grace.close()
      } else if (Date.now() - stopRequestedAt > SIGNAL_ECHO_MS) {
        app.log.error({ signal }, 'second stop signal: exiting without waiting')
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
