// `sessiond export [--out file]`: the backup as NDJSON on stdout (or into a file), with progress on
// stderr when it is a terminal. Exit 1 when the export failed midway (its output ends with an error line).
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { CliContext } from '../context.js'
import { Progress } from '../progress.js'

export interface ExportArgs { out?: string }

export async function exportCommand (context: CliContext, args: ExportArgs, io: { stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream }): Promise<number> {
  const { repos } = context
  // The live counters give the expected total for the ETA (a few seconds old at most).
  const expected = await repos.stats.live().then((live) => live.total, () => undefined)
  const progress = new Progress('export', { unit: 'sessions', total: expected }, io.stderr)
  let failure: Error | undefined
  const stream = repos.exporter.stream({
    onProgress: (sessions) => progress.update(sessions),
    onError: (err) => { failure = err }
  })
  await pipeline(stream, args.out === undefined ? io.stdout : createWriteStream(args.out), { end: args.out !== undefined })
  progress.finish()
  if (failure !== undefined) {
    io.stderr.write(`sessiond export: failed midway: ${failure.message}; the output ends with an error line, not the end line\n`)
    return 1
  }
  return 0
}
