// Writing results: <out>/<name>.json and .md, a stamped JSON copy for history, and the README section.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from './servers.js'

export const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')

function git (args: string[]): string {
  try { return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() } catch { return 'unknown' }
}

export interface RunMeta { date: string, commit: string, branch: string, node: string, cpus: number, cpuModel: string, loadAverage: string }

export function runMeta (): RunMeta {
  const dirty = git(['status', '--porcelain', '--', 'src', 'plugins', 'routes', 'schemas']) !== ''
  return {
    date: new Date().toISOString(),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? '+dirty' : ''}`,
    branch: git(['rev-parse', '--abbrev-ref', 'HEAD']),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg().map((l) => l.toFixed(2)).join(' ')
  }
}

export function writeResults (out: string, name: string, report: unknown, markdown: string): string[] {
  mkdirSync(out, { recursive: true })
  const files = [join(out, `${name}.json`), join(out, `${name}.md`), join(out, `${name.replace(/-?latest$/, '') || 'main'}-${stamp()}.json`)]
  const json = JSON.stringify(report, null, 2) + '\n'
  writeFileSync(files[0]!, json)
  writeFileSync(files[1]!, markdown)
  writeFileSync(files[2]!, json)
  return files
}

/** Replaces the text between `<!-- bench:<section> -->` and `<!-- /bench:<section> -->` in bench/README.md. */
export function updateReadme (section: string, markdown: string): void {
  const file = join(REPO_ROOT, 'bench/README.md')
  const text = readFileSync(file, 'utf8')
  const open = `<!-- bench:${section} -->`
  const close = `<!-- /bench:${section} -->`
  const start = text.indexOf(open)
  const end = text.indexOf(close)
  if (start < 0 || end < start) throw new Error(`bench/README.md has no ${open} … ${close} section`)
  writeFileSync(file, `${text.slice(0, start + open.length)}\n${markdown.trimEnd()}\n${text.slice(end)}`)
}
