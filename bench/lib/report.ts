// Aggregation of the main run (medians of per-round ratios, targets) and its Markdown table.
import { MAX_SESSIOND_RSS_BYTES, SCENARIO_TARGETS } from '../targets.js'
import type { Measurement } from './measure.js'
import type { CommandCount } from './monitor.js'
import { classifyCalls, type LoadCalls } from './commandstats.js'
import type { Scenario } from './scenarios.js'
import { EXPERIMENTS, isSessiond } from './servers.js'
import { median, ratio, spread, type Spread } from './stats.js'
import { dash, mark, mib, ms, num, ratioCell, table } from './format.js'

/** `pairedWith`: for a peer's run, the sessiond scenario it was measured next to (bench/lib/schedule.ts). */
export interface RoundMeasurement extends Measurement { round: number, position: number, pairedWith: string | null }

export interface TargetCheck { name: string, limit: string, value: number | null, pass: boolean | null }

export interface ScenarioReport {
  id: string
  title: string
  server: string
  kind: 'read' | 'write'
  peer: string | null
  baseline: string | null
  rounds: RoundMeasurement[]
  median: { rps: number | null, p50: number | null, p99: number | null, serverCpuMicros: number | null, redisCpuMicros: number | null, loadCpuMicros: number | null, busyCores: BusyCores | null }
  peakRssBytes: number
  non2xx: number
  statusCodes: Record<string, number>
  /** MONITOR pass: the commands a request causes, sent one at a time (names them). */
  commands: CommandCount | null
  /**
   * Under load (INFO commandstats Δ ÷ requests completed): per round, medians in the table; `pooled`
   * sums every round's calls and requests, with the full per-command table.
   */
  loadCalls: { sentPerRequest: Spread, inScriptsPerRequest: Spread, totalPerRequest: Spread, pooled: LoadCalls } | null
  ratios: { rpsVsPeer: Spread, rpsVsBaseline: Spread, cpuVsPeer: Spread, redisCpuVsPeer: Spread, p99VsPeer: Spread } | null
  targets: TargetCheck[]
}

export interface MainReport {
  kind: 'main'
  meta: Record<string, unknown>
  scenarios: ScenarioReport[]
  sessiondPeakRss: { bytes: number | null, limitBytes: number, pass: boolean | null }
  non2xxTotal: number
}

/** The run of `rows` (a peer or a baseline) to compare scenario `id`'s run in `round` with: the one paired with it, else the round's first. */
const counterpart = (rows: RoundMeasurement[], round: number, id: string): RoundMeasurement | undefined =>
  rows.find((m) => m.round === round && m.pairedWith === id) ?? rows.find((m) => m.round === round)

function perRound (id: string, s: RoundMeasurement[], other: RoundMeasurement[] | undefined, pick: (m: RoundMeasurement) => number): Spread {
  if (other === undefined) return spread([])
  return spread(s.map((m) => {
    const against = counterpart(other, m.round, id)
    return ratio(pick(m), against === undefined ? undefined : pick(against))
  }))
}

function loadCallsOf (rows: RoundMeasurement[], monitor: CommandCount | null): ScenarioReport['loadCalls'] {
  if (rows.length === 0) return null
  const perRound = rows.map((m) => classifyCalls(m.redisCalls, m.requests, monitor))
  const summed: Record<string, number> = {}
  for (const m of rows) for (const [name, n] of Object.entries(m.redisCalls)) summed[name] = (summed[name] ?? 0) + n
  return {
    sentPerRequest: spread(perRound.map((c) => c.sentPerRequest)),
    inScriptsPerRequest: spread(perRound.map((c) => c.inScriptsPerRequest)),
    totalPerRequest: spread(perRound.map((c) => c.totalPerRequest)),
    pooled: classifyCalls(summed, rows.reduce((sum, m) => sum + m.requests, 0), monitor)
  }
}

export interface ReportOptions {
  /** --rate: every load ran at the same fixed request rate, so req/s says nothing and is not checked. */
  rateFixed?: boolean
}

export function buildReport (
  scenarios: Scenario[],
  measurements: Map<string, RoundMeasurement[]>,
  commands: Map<string, CommandCount>,
  meta: Record<string, unknown>,
  options: ReportOptions = {}
): MainReport {
  const reports = scenarios.map((scenario): ScenarioReport => {
    const rows = measurements.get(scenario.id) ?? []
    const statusCodes: Record<string, number> = {}
    for (const m of rows) for (const [code, n] of Object.entries(m.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n
    const peer = scenario.peer === undefined ? undefined : measurements.get(scenario.peer)
    const base = scenario.baseline === undefined ? undefined : measurements.get(scenario.baseline)
    const ratios = !isSessiond(scenario.server)
      ? null
      : {
          rpsVsPeer: perRound(scenario.id, rows, peer, (m) => m.rps),
          rpsVsBaseline: perRound(scenario.id, rows, base, (m) => m.rps),
          cpuVsPeer: perRound(scenario.id, rows, peer, (m) => m.serverCpuMicrosPerRequest),
          redisCpuVsPeer: perRound(scenario.id, rows, peer, (m) => m.redisCpuMicrosPerRequest),
          p99VsPeer: perRound(scenario.id, rows, peer, (m) => m.p99)
        }
    const targets: TargetCheck[] = []
    const t = SCENARIO_TARGETS[scenario.id]
    if (t !== undefined && ratios !== null) {
      const check = (name: string, limit: string, value: number | null, ok: (v: number) => boolean): void => {
        targets.push({ name, limit, value, pass: value === null ? null : ok(value) })
      }
      if (t.minRpsVsPeer !== undefined && options.rateFixed !== true) check('req/s vs peer', `≥ ${t.minRpsVsPeer}×`, ratios.rpsVsPeer.median, (v) => v >= t.minRpsVsPeer!)
      if (t.maxCpuVsPeer !== undefined) check('CPU/req vs peer', `≤ ${t.maxCpuVsPeer}×`, ratios.cpuVsPeer.median, (v) => v <= t.maxCpuVsPeer!)
      if (t.maxP99VsPeer !== undefined) check('p99 vs peer', `≤ ${t.maxP99VsPeer}×`, ratios.p99VsPeer.median, (v) => v <= t.maxP99VsPeer!)
    }
    return {
      id: scenario.id,
      title: scenario.title,
      server: scenario.server,
      kind: scenario.kind,
      peer: scenario.peer ?? null,
      baseline: scenario.baseline ?? null,
      rounds: rows,
      median: {
        rps: median(rows.map((m) => m.rps)),
        p50: median(rows.map((m) => m.p50)),
        p99: median(rows.map((m) => m.p99)),
        serverCpuMicros: median(rows.map((m) => m.serverCpuMicrosPerRequest)),
        redisCpuMicros: median(rows.map((m) => m.redisCpuMicrosPerRequest)),
        loadCpuMicros: median(rows.map((m) => m.loadCpuMicrosPerRequest)),
        busyCores: busyCores(rows)
      },
      peakRssBytes: Math.max(0, ...rows.map((m) => m.peakRssBytes)),
      non2xx: rows.reduce((sum, m) => sum + m.non2xx + m.errors + m.timeouts, 0) + (commands.get(scenario.id)?.failures.length ?? 0),
      statusCodes,
      commands: commands.get(scenario.id) ?? null,
      loadCalls: loadCallsOf(rows, commands.get(scenario.id) ?? null),
      ratios,
      targets
    }
  })
  // The RSS target is the shipped configurations' (not the experiments', which show their own RSS per round).
  const sessiond = reports.filter((r) => isSessiond(r.server) && !EXPERIMENTS.has(r.server) && r.rounds.length > 0)
  const rss = sessiond.length === 0 ? null : Math.max(...sessiond.map((r) => r.peakRssBytes))
  return {
    kind: 'main',
    meta,
    scenarios: reports,
    sessiondPeakRss: { bytes: rss, limitBytes: MAX_SESSIOND_RSS_BYTES, pass: rss === null ? null : rss <= MAX_SESSIOND_RSS_BYTES },
    non2xxTotal: reports.reduce((sum, r) => sum + r.non2xx, 0)
  }
}

const targetCell = (checks: TargetCheck[]): string =>
  checks.length === 0 ? dash : checks.map((c) => `${c.name.split(' ')[0]} ${c.limit} ${mark(c.pass)}`).join('<br>')

function commandsCell (c: CommandCount | null): string {
  if (c === null) return dash
  return num(c.perRequest, c.perRequest % 1 === 0 ? 0 : 2)
}

/** A per-request count with about three significant digits. */
const perRequest = (n: number): string => num(n, n >= 10 ? 1 : n >= 0.1 ? 2 : 3)

/** Calls the server sent per request under load, and (below) those its scripts ran. */
function loadCallsCell (c: ScenarioReport['loadCalls']): string {
  if (c === null || c.sentPerRequest.median === null) return dash
  const inside = c.inScriptsPerRequest.median ?? 0
  return `${num(c.sentPerRequest.median, 2)}${inside >= 0.005 ? `<br>+${num(inside, 1)} in scripts` : ''}`
}

function commandNames (counts: Record<string, number>): string {
  return Object.entries(counts).map(([name, n]) => `${name}×${num(n, n % 1 === 0 ? 0 : 2)}`).join(', ')
}

/**
 * Cores kept busy during a load (CPU seconds per second, medians of the rounds): the load generator, the
 * server and Redis together, and the server alone. On these 2 cores a server that leaves some idle while
 * its requests wait (a convoy between it and Redis) serves less than its CPU per request says.
 */
export interface BusyCores { total: number, server: number }

function busyCores (rows: Measurement[]): BusyCores | null {
  const per = (m: Measurement, micros: number): number => m.rps * micros / 1e6
  const total = median(rows.map((m) => per(m, m.loadCpuMicrosPerRequest + m.serverCpuMicrosPerRequest + m.redisCpuMicrosPerRequest)))
  const server = median(rows.map((m) => per(m, m.serverCpuMicrosPerRequest)))
  return total === null || server === null ? null : { total, server }
}

export function renderMarkdown (report: MainReport): string {
  const m = report.meta
  const sessiond = report.scenarios.filter((s) => isSessiond(s.server) && s.rounds.length > 0)
  const baselines = report.scenarios.filter((s) => !isSessiond(s.server) && s.rounds.length > 0)
  const parts: string[] = []
  const rate = typeof m.rate === 'number' ? ` at a fixed ${num(m.rate)} req/s (--rate; req/s targets not checked)` : ''
  const settle = typeof m.settle === 'number' ? ` (${String(m.settle)} s of quiet before each)` : ''
  parts.push(`Run ${String(m.date)} on commit \`${String(m.commit)}\`: ${String(m.rounds)} interleaved round(s) × ${String(m.duration)} s${settle}${rate}, ` +
    `${String(m.connections)} connections, Node ${String(m.node)}, redis-server ${String(m.redisVersion)}, ${String(m.cpus)} CPUs (load ${String(m.loadAverage)} at start).`)
  if (sessiond.length > 0) {
    parts.push('', table(
      ['sessiond scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'server CPU µs/req', 'Redis CPU µs/req', 'Redis cmds/req (MONITOR)', 'Redis calls/req (load)', 'peak RSS MB', '× peer req/s', '× (b)/(c) req/s', 'CPU × peer', 'p99 × peer', 'targets'],
      sessiond.map((s) => [
        `${s.title} (vs ${s.peer === 'peer-get-session' ? 'd' : 'e'})`,
        num(s.median.rps), ms(s.median.p50), ms(s.median.p99),
        s.non2xx === 0 ? '0' : `**${s.non2xx}**`,
        num(s.median.serverCpuMicros), num(s.median.redisCpuMicros),
        commandsCell(s.commands), loadCallsCell(s.loadCalls), mib(s.peakRssBytes),
        ratioCell(s.ratios!.rpsVsPeer), ratioCell(s.ratios!.rpsVsBaseline), ratioCell(s.ratios!.cpuVsPeer), ratioCell(s.ratios!.p99VsPeer),
        targetCell(s.targets)
      ]), [14]
    ))
  }
  if (baselines.length > 0) {
    parts.push('', table(
      ['baseline', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'server CPU µs/req', 'Redis CPU µs/req', 'Redis cmds/req (MONITOR)', 'Redis calls/req (load)', 'peak RSS MB'],
      baselines.map((s) => [
        s.title, num(s.median.rps), ms(s.median.p50), ms(s.median.p99), s.non2xx === 0 ? '0' : `**${s.non2xx}**`,
        num(s.median.serverCpuMicros), num(s.median.redisCpuMicros), commandsCell(s.commands), loadCallsCell(s.loadCalls), mib(s.peakRssBytes)
      ])
    ))
  }
  const rss = report.sessiondPeakRss
  if (rss.bytes !== null) parts.push('', `sessiond peak RSS under load: ${mib(rss.bytes)} MB (target ≤ ${mib(rss.limitBytes)} MB ${mark(rss.pass)}).`)
  parts.push(report.non2xxTotal === 0 ? 'Non-2xx responses: none.' : `**Non-2xx responses or errors: ${report.non2xxTotal}** — see latest.json (statusCodes, commands.failures).`)
  const busy = report.scenarios.flatMap((s) => s.median.busyCores === null ? [] : [`${s.title} ${num(s.median.busyCores.total, 2)} / ${num(s.median.busyCores.server, 2)}`])
  if (busy.length > 0) {
    parts.push('', `Cores busy under load (load generator + server + Redis, of ${String(m.cpus)}; the server's own share after the slash; medians of the rounds):`,
      busy.join('; ') + '.')
  }
  const withLoadCalls = report.scenarios.filter((s) => s.loadCalls !== null)
  if (withLoadCalls.length > 0) {
    parts.push('', 'Redis calls per request under load (INFO commandstats Δ over the measured loads ÷ requests completed, all rounds pooled; ' +
      'sent = by the server, its round trips\' worth; in scripts = run by its Lua scripts; every command with its origin is in latest.json, `loadCalls.pooled.byCommand`):', '')
    for (const s of withLoadCalls) {
      const c = s.loadCalls!.pooled
      const list = (pick: (x: LoadCalls['byCommand'][number]) => number): string =>
        c.byCommand.filter((x) => pick(x) >= 0.0005).sort((a, b) => pick(b) - pick(a)).map((x) => `${x.name} ${perRequest(pick(x))}`).join(', ')
      const inside = c.inScriptsPerRequest >= 0.0005 ? `; in scripts ${perRequest(c.inScriptsPerRequest)}: ${list((x) => x.inScriptsPerRequest)}` : ''
      parts.push(`- ${s.title}: sent ${perRequest(c.sentPerRequest)}: ${list((x) => x.sentPerRequest) || 'none'}${inside}`)
    }
  }
  const withCommands = report.scenarios.filter((s) => s.commands !== null)
  if (withCommands.length > 0) {
    parts.push('', 'Redis commands per request (MONITOR, requests sent one at a time after background work settled; a script call counts once, the commands it runs inside Redis are listed after "in scripts"):', '')
    for (const s of withCommands) {
      const c = s.commands!
      const inside = Object.keys(c.insideScripts).length > 0 ? `; in scripts ${num(c.insideScriptsPerRequest, 1)}: ${commandNames(c.insideScripts)}` : ''
      parts.push(`- ${s.title}: ${commandNames(c.names) || 'none'}${inside}`)
    }
  }
  return parts.join('\n') + '\n'
}
