// `sessiond rotate-keys` (contract §13): seals every stored value under the first key of ENCRYPTION_KEYS
// (src/repositories/key-rotator.ts), with progress on stderr when it is a terminal; prints the report as
// JSON. Each session is one compare-and-set: safe to interrupt, and to run again.
import type { CliContext } from '../context.js'
import { UsageError } from '../context.js'
import { Progress } from '../progress.js'

export async function rotateKeysCommand (context: CliContext, io: { stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream }): Promise<number> {
  const { repos } = context
  if (repos.rotator === null) throw new UsageError('rotate-keys needs ENCRYPTION_KEYS (kid:base64-of-32-bytes,…; the first key seals)')
  const expected = await repos.stats.live().then((live) => live.total, () => undefined)
  let values = 0
  const progress = new Progress('rotate-keys', { unit: 'sessions', total: expected, suffix: () => `${values} values sealed anew` }, io.stderr)
  const report = await repos.rotator.run({ onProgress: (now) => { values = now.values; progress.update(now.sessions.examined) } })
  progress.finish()
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  return 0
}
