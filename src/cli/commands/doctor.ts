// `sessiond doctor`: the checks of GET /v1/admin/health/redis, said plainly, with what to fix. Exit 1
// while a warning stands. `--json` prints the report itself.
import type { CliContext } from '../context.js'
import type { RedisHealth } from '../../../schemas/admin.js'
import { sampleQuantile, type CommandLatency } from '../../domain/redis-health.js'

const PINGS = 50

/** PING round trips of this process: the command line has no histogram of its own. */
async function pingLatency (context: CliContext): Promise<CommandLatency> {
  const samples: number[] = []
  for (let i = 0; i < PINGS; i++) {
    const started = performance.now()
    await context.store.call('ping', async (client) => await client.ping())
    samples.push(performance.now() - started)
  }
  const ms = (q: number): number | null => {
    const value = sampleQuantile(q, samples)
    return value === null ? null : Math.round(value * 1000) / 1000
  }
  return { p50: ms(0.5), p99: ms(0.99), samples: samples.length, source: `${PINGS} PINGs from this command` }
}

const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`

export function describe (report: RedisHealth): string {
  const lines = [
    `Redis ${report.version} (${report.mode}, ${report.nodes.length} ${report.nodes.length === 1 ? 'server' : 'masters'}), up ${report.uptime_s} s`,
    `memory: ${mib(report.memory.used_bytes)} used, maxmemory ${report.memory.maxmemory_bytes === 0 ? 'none' : mib(report.memory.maxmemory_bytes)}, policy ${report.memory.policy}`,
    `persistence: AOF ${report.persistence.aof ? 'on' : 'off'}, RDB snapshots ${report.persistence.rdb === null ? 'unknown (CONFIG not allowed)' : report.persistence.rdb ? 'scheduled' : 'off'}`,
    `keyspace: ${report.keyspace.keys} keys, ${report.keyspace.expires} with a TTL; ${report.clients} clients`,
    `latency: p50 ${report.command_latency_ms.p50 ?? '?'} ms, p99 ${report.command_latency_ms.p99 ?? '?'} ms (${report.command_latency_ms.source})`
  ]
  for (const node of report.nodes) {
    if (report.nodes.length > 1) lines.push(`  ${node.address}: ${node.role}, ${node.version}, cluster_state ${node.cluster_state ?? '-'}, ${node.keyspace.keys} keys`)
  }
  if (report.warnings.length === 0) {
    lines.push('', 'No warnings: nothing here loses sessions.')
  } else {
    lines.push('', `${report.warnings.length} ${report.warnings.length === 1 ? 'warning' : 'warnings'}:`)
    for (const warning of report.warnings) lines.push(`- [${warning.code}] ${warning.node}: ${warning.message}`, `  fix: ${warning.fix}`)
  }
  return `${lines.join('\n')}\n`
}

export async function doctorCommand (context: CliContext, args: { json: boolean }, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const report = await context.repos.diagnostics.report(await pingLatency(context))
  io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report))
  return report.warnings.length === 0 ? 0 : 1
}
