// `sessiond migrate`: rewrites every stored session document older than the current schema version
// (src/repositories/session-migrator.ts), with progress on stderr when it is a terminal; prints the
// report as JSON. Each session is one compare-and-set: safe to interrupt, and to run again.
import type { CliContext } from '../context.js'
import { Progress } from '../progress.js'

export async function migrateCommand (context: CliContext, io: { stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream }): Promise<number> {
  const { repos } = context
  const expected = await repos.stats.live().then((live) => live.total, () => undefined)
  let migrated = 0
  const progress = new Progress('migrate', { unit: 'sessions', total: expected, suffix: () => `${migrated} migrated` }, io.stderr)
  const report = await repos.migrator.run({ onProgress: (now) => { migrated = now.migrated; progress.update(now.examined) } })
  progress.finish()
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  return 0
}
