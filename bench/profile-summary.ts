// Top self-time functions of a V8 .cpuprofile (from `npm run bench -- --cpu-prof`), and where the
// time goes by origin (sessiond, each package, node internals, GC). With two profiles, before and
// after side by side:
//   npx tsx bench/profile-summary.ts <profile> [<other profile>] [--top N]
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

export interface ProfileSummary {
  file: string
  /** Sampled time, and sampled time not idle, in ms. */
  totalMs: number
  busyMs: number
  functions: Array<{ name: string, origin: string, selfMs: number }>
  origins: Array<{ origin: string, selfMs: number }>
}

const SPECIAL = /^\((program|idle|garbage collector|root)\)$/

function origin (frame: CallFrame): string {
  if (SPECIAL.test(frame.functionName) && frame.url === '') return frame.functionName
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)
  if (pkg !== null) return pkg[1]!
  if (frame.url.startsWith('node:')) return 'node'
  if (frame.url === '') return '(native)'
  // A peer's own code (bench/baselines/*.ts), when a peer is the profile.
  if (/\/bench\//.test(frame.url)) return 'bench'
  return 'sessiond'
}

function shortUrl (url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*?\/(dist\/|bench\/)/, '$1')
}

export function summarizeProfile (file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  const selfUs = new Map<number, number>()
  // Sample i lasts until sample i + 1 (the last one until endTime).
  let at = profile.startTime
  const times = profile.timeDeltas.map((d) => (at += d))
  profile.samples.forEach((id, i) => {
    const duration = (times[i + 1] ?? profile.endTime) - times[i]!
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, duration))
  })
  const byFunction = new Map<string, { name: string, origin: string, selfMs: number }>()
  const byOrigin = new Map<string, number>()
  let totalMs = 0
  let idleMs = 0
  for (const [id, us] of selfUs) {
    const frame = frames.get(id)!
    const ms = us / 1000
    totalMs += ms
    if (frame.functionName === '(idle)') { idleMs += ms; continue }
    const o = origin(frame)
    const name = frame.url === '' ? (frame.functionName || '(anonymous)') : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
    const entry = byFunction.get(name) ?? { name, origin: o, selfMs: 0 }
    entry.selfMs += ms
    byFunction.set(name, entry)
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + ms)
  }
  return {
    file,
    totalMs,
    busyMs: totalMs - idleMs,
    functions: [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs),
    origins: [...byOrigin.entries()].map(([o, selfMs]) => ({ origin: o, selfMs })).sort((a, b) => b.selfMs - a.selfMs)
  }
}

const pct = (part: number, whole: number): string => `${(whole > 0 ? (100 * part) / whole : 0).toFixed(1).padStart(5)} %`

export function formatSummary (s: ProfileSummary, top = 25): string {
  const lines = [`${s.file}: ${(s.busyMs / 1000).toFixed(2)} s busy of ${(s.totalMs / 1000).toFixed(2)} s sampled (percentages of busy time)`, '', 'by origin:']
  for (const o of s.origins.slice(0, 12)) lines.push(`  ${pct(o.selfMs, s.busyMs)}  ${o.origin}`)
  lines.push('', `top ${top} functions by self time:`)
  for (const f of s.functions.slice(0, top)) lines.push(`  ${pct(f.selfMs, s.busyMs)}  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.name}`)
  return lines.join('\n')
}

export function formatComparison (a: ProfileSummary, b: ProfileSummary, top = 25): string {
  const share = (s: ProfileSummary, list: Array<{ selfMs: number }>, i: number): number => (s.busyMs > 0 ? (100 * (list[i]?.selfMs ?? 0)) / s.busyMs : 0)
  const row = (label: string, x: number, y: number): string => `  ${x.toFixed(1).padStart(5)} %  ${y.toFixed(1).padStart(5)} %  ${(y - x >= 0 ? '+' : '') + (y - x).toFixed(1).padStart(5)}  ${label}`
  const lines = [`A: ${a.file} (${(a.busyMs / 1000).toFixed(2)} s busy)`, `B: ${b.file} (${(b.busyMs / 1000).toFixed(2)} s busy)`, '', '      A        B       Δ    by origin (share of busy time)']
  const origins = [...new Set([...a.origins, ...b.origins].map((o) => o.origin))]
  for (const o of origins.slice(0, 14)) {
    lines.push(row(o, share(a, a.origins, a.origins.findIndex((x) => x.origin === o)), share(b, b.origins, b.origins.findIndex((x) => x.origin === o))))
  }
  lines.push('', `      A        B       Δ    top ${top} functions of either`)
  const names = [...new Set([...a.functions.slice(0, top), ...b.functions.slice(0, top)].map((f) => f.name))]
  const shareOf = (s: ProfileSummary, name: string): number => share(s, s.functions, s.functions.findIndex((f) => f.name === name))
  names.sort((x, y) => Math.max(shareOf(b, y), shareOf(a, y)) - Math.max(shareOf(b, x), shareOf(a, x)))
  for (const name of names) lines.push(row(name, shareOf(a, name), shareOf(b, name)))
  return lines.join('\n')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2)
  const topAt = args.indexOf('--top')
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25
  if (args.length < 1 || args.length > 2) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <profile.cpuprofile> [<other.cpuprofile>] [--top N]\n')
    process.exit(2)
  }
  const [a, b] = args.map(summarizeProfile)
  process.stdout.write(`${b === undefined ? formatSummary(a!, top) : formatComparison(a!, b, top)}\n`)
}
