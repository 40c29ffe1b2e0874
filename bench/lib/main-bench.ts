// The default run: sessiond's scenarios and the baselines, measured in interleaved rounds.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { readdirSync } from 'node:fs'
import type { Options } from './options.js'
import type { Workspace } from './workspace.js'
import { startRedis } from './redis-server.js'
import { BASELINE_NAMES, EXPERIMENTS, REPO_ROOT, SESSIOND_VARIANTS, isSessiond, startBaseline, startSessiond, type ServerName, type SessiondName } from './servers.js'
import type { ServerProcess } from './processes.js'
import { SCENARIOS, type FixturePool, type Scenario } from './scenarios.js'
import { copyToPeerHashes, seedBlob, seedFixture } from './fixture.js'
import { measure, runLoadWorker } from './measure.js'
import type { LoadSpec } from './load-spec.js'
import { classifyCalls } from './commandstats.js'
import { countCommands, type CommandCount } from './monitor.js'
import { buildReport, renderMarkdown, type MainReport, type RoundMeasurement } from './report.js'
import { roundSchedule, type Slot } from './schedule.js'
import { num, ms } from './format.js'
import { runMeta, stamp } from './output.js'
import { summarizeProfile, formatSummary, formatComparison } from '../profile-summary.js'

const log = (line: string): void => { process.stderr.write(`${line}\n`) }

/** The peers `--cpu-prof` profiles beside sessiond. */
const PROFILED_PEERS = ['peer-get-session', 'peer-put-step'] as const

/** The main thread's profiles in `dir` (`CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`, thread 0), oldest first. */
function mainThreadProfiles (dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)).sort().map((f) => join(dir, f))
}

/**
 * The scenarios of --only (ids checked by parseOptions), in their listed order; without it every scenario
 * but the experiments', which --experiments adds (each experiment is one more sessiond process whose
 * background work, such as its expiry sweep, runs during every other measurement).
 */
export function selectScenarios (only: string[] | null, experiments = false): Scenario[] {
  if (only !== null) return SCENARIOS.filter((s) => only.includes(s.id))
  return experiments ? SCENARIOS : SCENARIOS.filter((s) => !EXPERIMENTS.has(s.server as SessiondName))
}

export async function runMain (opts: Options, ws: Workspace): Promise<MainReport> {
  const scenarios = selectScenarios(opts.only, opts.experiments)
  const servers = new Set<ServerName>(scenarios.map((s) => s.server))
  const pools = new Set<FixturePool>(scenarios.flatMap((s) => s.needs))
  // Seeding (the peers' hashes too) goes through sessiond's API, so sessiond runs whenever anything is seeded.
  if (pools.size > 0) servers.add('sessiond')

  const redis = await startRedis(ws.dir)
  ws.add(redis.stop)
  const ctx = { redisUrl: redis.url, jwtSecret: randomBytes(32).toString('hex'), dir: ws.dir, sessiondEnv: opts.sessiondEnv }
  const running = new Map<ServerName, ServerProcess>()
  const start = async (name: ServerName, cpuProfDir?: string): Promise<ServerProcess> => {
    const server = isSessiond(name)
      ? await startSessiond(ctx, { cpuProfDir, logName: name, env: SESSIOND_VARIANTS[name] })
      : await startBaseline(name, ctx, cpuProfDir)
    running.set(name, server)
    ws.add(async () => { await server.stop() })
    return server
  }
  for (const name of Object.keys(SESSIOND_VARIANTS) as SessiondName[]) if (servers.has(name)) await start(name)
  for (const name of BASELINE_NAMES) if (servers.has(name)) await start(name)
  log(`bench: servers up (${[...running.keys()].join(', ')}), redis on ${redis.url}, temp ${ws.dir}`)

  const sessiondUrl = running.get('sessiond')?.url ?? null
  const { fixture, seeding } = await seedFixture({ sessiondUrl, jwtSecret: ctx.jwtSecret, slots: opts.connections, pools, concurrency: opts.concurrency })
  if (seeding !== null) log(`bench: seeded ${seeding.sessions} sessions with ${seeding.requests} API requests in ${seeding.seconds.toFixed(1)} s`)
  if (servers.has('peer-get-session')) await copyToPeerHashes(redis, sessiondUrl!, fixture, 'get')
  if (servers.has('peer-put-step')) await copyToPeerHashes(redis, sessiondUrl!, fixture, 'step')
  if (servers.has('redis-get')) await seedBlob(redis)

  let profileDir: string | undefined
  if (opts.cpuProf && running.has('sessiond')) {
    // A fresh, profiled sessiond on the seeded Redis: the profile holds its start, warm-up and the measured load.
    profileDir = join(REPO_ROOT, 'bench/profiles', stamp())
    await running.get('sessiond')!.stop()
    await start('sessiond', profileDir)
    // The peers measured too, each into its own folder, so that sessiond's profile can be set beside theirs.
    for (const peer of PROFILED_PEERS) {
      if (!running.has(peer)) continue
      await running.get(peer)!.stop()
      await start(peer, join(profileDir, peer))
    }
    log(`bench: profiling sessiond into ${profileDir}, and each peer that runs into a folder of its own there`)
  }

  const serverOf = (s: Scenario): ServerProcess => running.get(s.server)!
  const specOf = (s: Scenario, duration: number): LoadSpec =>
    ({ url: serverOf(s).url, connections: opts.connections, duration, slots: s.slots(fixture), ...(opts.rate !== null ? { rate: opts.rate } : {}) })

  const commands = new Map<string, CommandCount>()
  for (const s of scenarios) {
    const count = await countCommands(redis.port, serverOf(s).url, s.slots(fixture), opts.monitorRequests)
    commands.set(s.id, count)
    for (const failure of count.failures) log(`bench: !!! ${s.id}: ${failure}`)
  }

  if (opts.warmup > 0) {
    log(`bench: warm-up, ${opts.warmup} s per scenario (not recorded)`)
    for (const s of scenarios) {
      const result = await runLoadWorker(specOf(s, opts.warmup))
      if (result.non2xx + result.errors + result.timeouts > 0) log(`bench: !!! warm-up of ${s.id}: ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodes)}, ${result.errors} errors, ${result.timeouts} timeouts`)
    }
  }

  const measurements = new Map<string, RoundMeasurement[]>()
  const orders: string[][] = []
  for (let round = 1; round <= opts.rounds; round++) {
    const order = roundSchedule(scenarios, opts.seed, round, !opts.unpaired)
    const label = (slot: Slot): string => slot.pairedWith === null ? slot.scenario.id : `${slot.scenario.id} (for ${slot.pairedWith})`
    orders.push(order.map(label))
    log(`bench: round ${round}/${opts.rounds}: ${order.map(label).join(' → ')}`)
    for (const [position, { scenario: s, pairedWith }] of order.entries()) {
      const m = await measure(specOf(s, opts.duration), serverOf(s).pid, redis, opts.settle * 1000)
      const row: RoundMeasurement = { ...m, round, position, pairedWith }
      measurements.set(s.id, [...(measurements.get(s.id) ?? []), row])
      const bad = m.non2xx + m.errors + m.timeouts
      const calls = classifyCalls(m.redisCalls, m.requests, commands.get(s.id) ?? null)
      log(`  ${(pairedWith === null ? s.id : `${s.id}·`).padEnd(20)} ${num(m.rps).padStart(7)} req/s  p50 ${ms(m.p50).padStart(6)}  p99 ${ms(m.p99).padStart(6)} ms  ` +
        `cpu ${num(m.serverCpuMicrosPerRequest).padStart(5)} µs/req  redis ${num(m.redisCpuMicrosPerRequest).padStart(4)} µs/req  ` +
        `calls ${num(calls.sentPerRequest, 2)} + ${num(calls.inScriptsPerRequest, 1)} in scripts/req  rss ${num(m.rssBeforeBytes / 1_048_576)}→${num(m.peakRssBytes / 1_048_576)} MB${m.peakReset ? '' : ' (peak since start)'}` +
        (opts.rate !== null && m.rps < 0.95 * opts.rate ? `  (below --rate ${opts.rate}: saturated)` : '') +
        (bad > 0 ? `  !!! ${m.non2xx} non-2xx ${JSON.stringify(m.statusCodes)}, ${m.errors} errors, ${m.timeouts} timeouts` : ''))
    }
  }

  const redisInfo = await redis.info('server')
  if (profileDir !== undefined) {
    await running.get('sessiond')!.stop()
    const files = mainThreadProfiles(profileDir)
    if (files.length === 0) log(`bench: no .cpuprofile was written into ${profileDir}`)
    for (const file of files) {
      log(`bench: profile ${file}`)
      log(formatSummary(summarizeProfile(file), 25))
    }
    for (const peer of PROFILED_PEERS) {
      if (!running.has(peer) || files.length === 0) continue
      await running.get(peer)!.stop()
      const [peerFile] = mainThreadProfiles(join(profileDir, peer))
      if (peerFile === undefined) continue
      log(`bench: sessiond (A) beside ${peer} (B), ${peerFile}`)
      log(formatComparison(summarizeProfile(files[0]!), summarizeProfile(peerFile), 25))
    }
  }

  return buildReport(scenarios, measurements, commands, {
    ...runMeta(),
    redisVersion: redisInfo.redis_version,
    rounds: opts.rounds,
    duration: opts.duration,
    connections: opts.connections,
    warmup: opts.warmup,
    settle: opts.settle,
    rate: opts.rate,
    seed: opts.seed,
    paired: !opts.unpaired,
    only: opts.only,
    orders,
    seeding: seeding === null ? null : { sessions: seeding.sessions, requests: seeding.requests, seconds: seeding.seconds },
    profileDir: profileDir ?? null,
    sessiondSettings: { NODE_ENV: 'production', RATE_LIMIT_MAX: '10000000', LOG_LEVEL: 'warn', audit: 'on (always)', metrics: 'on (always)', ...opts.sessiondEnv }
  }, { rateFixed: opts.rate !== null })
}

export { renderMarkdown }
