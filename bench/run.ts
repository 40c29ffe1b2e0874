// `npm run bench`: builds sessiond, starts a private redis-server, sessiond (production settings) and
// the baseline servers, seeds through the API, and measures in interleaved rounds. Exits non-zero on a
// harness error or on any non-2xx response; targets are reported, never enforced. See bench/README.md.
import { spawnSync } from 'node:child_process'
import { parseOptions, USAGE, type Options } from './lib/options.js'
import { Workspace } from './lib/workspace.js'
import { REPO_ROOT } from './lib/servers.js'
import { runMain, renderMarkdown } from './lib/main-bench.js'
import { runMemory } from './lib/memory-bench.js'
import { runScale } from './lib/scale-bench.js'
import { updateReadme, writeResults } from './lib/output.js'

interface Outcome { name: string, section: string, report: unknown, markdown: string, failures: number }

async function run (opts: Options, ws: Workspace): Promise<Outcome> {
  if (opts.mode === 'memory') return { name: 'memory-latest', section: 'memory', ...await runMemory(opts, ws) }
  if (opts.mode === 'scale') return { name: 'scale-latest', section: 'scale', ...await runScale(opts, ws) }
  const report = await runMain(opts, ws)
  return { name: 'latest', section: 'table', report, markdown: renderMarkdown(report), failures: report.non2xxTotal }
}

async function main (): Promise<number> {
  let opts: Options
  try {
    const parsed = parseOptions(process.argv.slice(2))
    if (parsed === 'help') { process.stdout.write(USAGE); return 0 }
    opts = parsed
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (!opts.skipBuild) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
    if (build.status !== 0) { process.stderr.write('bench: npm run build failed\n'); return 1 }
  }
  const ws = new Workspace()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}: stopping servers\n`)
      void ws.close(opts.keepTemp).finally(() => process.exit(130))
    })
  }
  try {
    const outcome = await run(opts, ws)
    const files = writeResults(opts.out, outcome.name, outcome.report, outcome.markdown)
    if (opts.updateReadme) updateReadme(outcome.section, outcome.markdown)
    process.stdout.write(`\n${outcome.markdown}\nbench: wrote ${files.join(', ')}${opts.updateReadme ? ' and bench/README.md' : ''}\n`)
    if (outcome.failures > 0) {
      process.stderr.write(`\nbench: !!! ${outcome.failures} non-2xx responses or request errors: the numbers above are not valid !!!\n`)
      return 1
    }
    return 0
  } catch (err) {
    process.stderr.write(`bench: harness error: ${(err as Error).stack ?? String(err)}\n`)
    if (!opts.keepTemp) process.stderr.write(`bench: (run with --keep-temp to keep the server logs in ${ws.dir})\n`)
    return 1
  } finally {
    await ws.close(opts.keepTemp)
    if (opts.keepTemp) process.stderr.write(`bench: temp folder kept: ${ws.dir}\n`)
  }
}

process.exitCode = await main()
