// Starting sessiond (from the build output, production settings) and the baseline servers.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, startServer, type ServerProcess } from './processes.js'
import { YOUNG_GENERATION_FLAGS } from '../../src/heap.js'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const SESSIOND_ENTRY = join(REPO_ROOT, 'dist/src/server.js')

export const BASELINE_NAMES = ['bare', 'redis-get', 'redis-lua', 'peer-get-session', 'peer-put-step'] as const
export type BaselineName = typeof BASELINE_NAMES[number]
/**
 * sessiond as configured, and variants with one setting changed, each its own process on the same Redis:
 * the read cache on (the cache scenario), and the two other ways of sending commands to Redis
 * (REDIS_WRITES, decision 0715: coalesced by default, ioredis auto-pipelining, or one write per command),
 * and V8's own heap growth instead of HEAP_GROWING_PERCENT's bound (decision 0718). `sessiond-alike` is
 * sessiond with no setting changed, serving only the experiments' two scenarios as each of them does: the
 * experiments compare with it, not with `sessiond`, whose process serves every scenario (a busier heap
 * and more varied code paths cost it CPU per request).
 */
export const SESSIOND_VARIANTS = {
  sessiond: {},
  'sessiond-lru': { CACHE_MODE: 'lru' },
  'sessiond-alike': {},
  'sessiond-autopipe': { REDIS_WRITES: 'auto-pipeline' },
  'sessiond-plain': { REDIS_WRITES: 'plain' },
  'sessiond-v8heap': { HEAP_GROWING_PERCENT: '0' }
} as const satisfies Record<string, Record<string, string>>
export type SessiondName = keyof typeof SESSIOND_VARIANTS
/** The variants that only measure an alternative (a setting's non-default value): the RSS target is not theirs. */
export const EXPERIMENTS: ReadonlySet<SessiondName> = new Set<SessiondName>(['sessiond-alike', 'sessiond-autopipe', 'sessiond-plain', 'sessiond-v8heap'])
export type ServerName = SessiondName | BaselineName
export const isSessiond = (name: string): name is SessiondName => Object.hasOwn(SESSIOND_VARIANTS, name)

/** High enough that the limiter (which still runs, and counts in Redis) never answers 429. */
export const RATE_LIMIT_MAX = '10000000'

export interface ServerContext {
  redisUrl: string
  jwtSecret: string
  /** The run's temp folder: logs, and the cwd of every server (so no stray .env is read). */
  dir: string
  /** Extra settings of sessiond (`--env`); they win over the defaults below. */
  sessiondEnv?: Record<string, string>
}

function baseEnv (): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
}

/** Node's options that write a CPU profile into `dir` when the process stops (none without a dir). */
function profiling (dir: string | undefined): string[] {
  if (dir === undefined) return []
  mkdirSync(dir, { recursive: true })
  return ['--cpu-prof', '--cpu-prof-dir', dir]
}

export interface SessiondOptions {
  /** `node --cpu-prof --cpu-prof-dir <dir>`: the profile is written when the server stops. */
  cpuProfDir?: string
  logName?: string
  /** Settings on top of the context's (a variant's). */
  env?: Record<string, string>
}

export async function startSessiond (ctx: ServerContext, opts: SessiondOptions = {}): Promise<ServerProcess> {
  if (!existsSync(SESSIOND_ENTRY)) throw new Error(`${SESSIOND_ENTRY} is missing: run npm run build (or drop --skip-build)`)
  const port = await freePort()
  // Started as the image and npm start start it (decision 0729).
  const args = [...profiling(opts.cpuProfDir), ...YOUNG_GENERATION_FLAGS, SESSIOND_ENTRY]
  return await startServer({
    name: 'sessiond',
    command: process.execPath,
    args,
    cwd: ctx.dir,
    port,
    readyPath: '/health/ready',
    logFile: join(ctx.dir, `${opts.logName ?? 'sessiond'}.log`),
    env: {
      ...baseEnv(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: ctx.redisUrl,
      JWT_SECRET: ctx.jwtSecret,
      RATE_LIMIT_MAX,
      LOG_LEVEL: 'warn',
      KEY_ENV: 'bench',
      ...ctx.sessiondEnv,
      ...opts.env
    }
  })
}

/** `cpuProfDir`: `node --cpu-prof --cpu-prof-dir <dir>` (tsx's loader thread writes a profile of its own there too). */
export async function startBaseline (name: BaselineName, ctx: ServerContext, cpuProfDir?: string): Promise<ServerProcess> {
  const port = await freePort()
  return await startServer({
    name,
    command: process.execPath,
    args: [...profiling(cpuProfDir), '--import', 'tsx', join(REPO_ROOT, 'bench/baselines', `${name}.ts`)],
    // tsx resolves its loader from the repository's node_modules.
    cwd: REPO_ROOT,
    port,
    readyPath: '/ready',
    logFile: join(ctx.dir, `${name}.log`),
    env: { ...baseEnv(), NODE_ENV: 'production', PORT: String(port), REDIS_URL: ctx.redisUrl, JWT_SECRET: ctx.jwtSecret, LOG_LEVEL: 'warn' }
  })
}
