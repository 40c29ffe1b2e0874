// Command-line options of `npm run bench -- …`.
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { REPO_ROOT } from './servers.js'
import { SCENARIOS } from './scenarios.js'
import { DEFAULT_QUIET_MS } from './measure.js'

export interface Options {
  mode: 'main' | 'memory' | 'scale'
  rounds: number
  duration: number
  connections: number
  warmup: number
  /** Seconds waited before each measurement's first readings. */
  settle: number
  only: string[] | null
  /** Also the experiments' scenarios (settings' alternatives and their control), when --only is not given. */
  experiments: boolean
  seed: number
  /** --unpaired: each scenario once per round, its ratios against the round's one run of its peer (bench/lib/schedule.ts). */
  unpaired: boolean
  skipBuild: boolean
  out: string
  updateReadme: boolean
  cpuProf: boolean
  monitorRequests: number
  /** Requests per second over all connections (autocannon overallRate); null = as fast as possible. */
  rate: number | null
  /** --memory: sessions created per shape. */
  count: number
  /** --memory: sessions of the second, larger measurement of the plain shape (0 = none). */
  memoryCount: number
  /** --scale: live sessions of the large store, and of the small one. */
  live: number
  smallLive: number
  /** --scale: sessions of the large user (the small ones have 10). */
  userSessions: number
  /** --scale: POST session requests per measurement. */
  scaleRequests: number
  concurrency: number
  keepTemp: boolean
  /** --env KEY=VALUE (repeatable): extra settings of sessiond, recorded with the results. */
  sessiondEnv: Record<string, string>
}

export const USAGE = `npm run bench -- [options]

  Default: every scenario and baseline, interleaved rounds, results in bench/results/latest.{json,md}.

  --rounds N            interleaved rounds (default 5)
  --duration S          seconds per measurement (default 10)
  --connections N       autocannon connections, also the size of the session pool (default 50)
  --warmup S            seconds of unrecorded load per scenario before round 1 (default 3, 0 = none)
  --settle S            seconds of quiet before each measurement (default ${DEFAULT_QUIET_MS / 1000}): the previous load's
                        after-effects (its server's GC, batches, load worker) are not counted against it
  --only a,b,…          only these scenarios/baselines (ids in bench/README.md)
  --experiments         also the experiments: each setting's alternative next to its control (sessiond-alike)
  --seed N              seed of the per-round shuffle (default: random, recorded)
  --unpaired            measure each peer once per round instead of next to each sessiond scenario
                        compared with it (the default pairs them: bench/lib/schedule.ts)
  --skip-build          do not run npm run build first (dist/ must be current)
  --out DIR             where results go (default bench/results)
  --update-readme       rewrite the table between the bench:table markers of bench/README.md
  --cpu-prof            profile sessiond (node --cpu-prof) into bench/profiles/<stamp>/ and summarize it
  --monitor-requests N  requests of the MONITOR pass that names the Redis commands (default 20)
  --rate R              send R requests/s in all (autocannon overallRate, in 10 staggered slices)
                        instead of as many as the server answers: compares CPU µs/request at the
                        same load; runs last whole seconds, req/s targets are not checked; pick R
                        well below the slowest selected server's maximum
  --keep-temp           keep the temp folder (server logs) after the run
  --env KEY=VALUE       an extra setting of sessiond (repeatable), e.g. --env CACHE_MODE=lru

  --memory              sub-benchmark: Redis bytes per session (plain, onboarding, chat)
    --count N           sessions per shape (default 2000)
    --memory-count N    plain sessions of a second plain measurement, where the per-slot keys
                        (expiry index) are shared by more sessions (default 20000, 0 = skip)
  --scale               sub-benchmark: 10 vs 10 000 sessions per user, 10 k vs --live live sessions
    --live N            live sessions of the large store (default 100000; 1000000 for the full check)
    --small-live N      live sessions of the small store (default 10000)
    --user-sessions N   sessions of the large user (default 10000)
    --scale-requests N  POST session requests per measurement (default 2000)
  --concurrency N       requests in flight while seeding (default 64)
`

function positive (name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`)
  return n
}

function parseEnv (pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at < 1) throw new Error(`--env takes KEY=VALUE, got "${pair}"`)
    env[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return env
}

export function parseOptions (argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      settle: { type: 'string' },
      only: { type: 'string' },
      experiments: { type: 'boolean' },
      seed: { type: 'string' },
      unpaired: { type: 'boolean' },
      'skip-build': { type: 'boolean' },
      out: { type: 'string' },
      'update-readme': { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      'monitor-requests': { type: 'string' },
      rate: { type: 'string' },
      'keep-temp': { type: 'boolean' },
      memory: { type: 'boolean' },
      count: { type: 'string' },
      'memory-count': { type: 'string' },
      scale: { type: 'boolean' },
      live: { type: 'string' },
      'small-live': { type: 'string' },
      'user-sessions': { type: 'string' },
      'scale-requests': { type: 'string' },
      concurrency: { type: 'string' },
      env: { type: 'string', multiple: true }
    }
  })
  if (values.help === true) return 'help'
  if (values.memory === true && values.scale === true) throw new Error('--memory and --scale are separate runs: pick one')
  const duration = positive('duration', values.duration, 10, 0.5)
  const only = values.only === undefined ? null : values.only.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const unknown = (only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id))
  if (unknown.length > 0) throw new Error(`--only: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`)
  return {
    mode: values.memory === true ? 'memory' : values.scale === true ? 'scale' : 'main',
    rounds: Math.floor(positive('rounds', values.rounds, 5)),
    duration,
    connections: Math.floor(positive('connections', values.connections, 50)),
    warmup: positive('warmup', values.warmup, Math.min(3, duration), 0),
    settle: positive('settle', values.settle, DEFAULT_QUIET_MS / 1000, 0),
    only,
    experiments: values.experiments === true,
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Math.floor(positive('seed', values.seed, 0, 0)),
    unpaired: values.unpaired === true,
    skipBuild: values['skip-build'] === true,
    out: values.out ?? join(REPO_ROOT, 'bench/results'),
    updateReadme: values['update-readme'] === true,
    cpuProf: values['cpu-prof'] === true,
    monitorRequests: Math.floor(positive('monitor-requests', values['monitor-requests'], 20)),
    rate: values.rate === undefined ? null : Math.floor(positive('rate', values.rate, 0)),
    count: Math.floor(positive('count', values.count, 2000)),
    memoryCount: Math.floor(positive('memory-count', values['memory-count'], 20_000, 0)),
    live: Math.floor(positive('live', values.live, 100_000)),
    smallLive: Math.floor(positive('small-live', values['small-live'], 10_000)),
    userSessions: Math.floor(positive('user-sessions', values['user-sessions'], 10_000)),
    scaleRequests: Math.floor(positive('scale-requests', values['scale-requests'], 2000)),
    concurrency: Math.floor(positive('concurrency', values.concurrency, 64)),
    keepTemp: values['keep-temp'] === true,
    sessiondEnv: parseEnv(values.env ?? [])
  }
}
