// `sessiond import <file>` (`-` for stdin): restores a backup, prints the report as JSON on stdout, with
// progress on stderr when it is a terminal. Every session is written atomically and a second run of the
// same file changes nothing, so an interrupted import is simply run again. Unlike POST /v1/admin/import
// there is no size cap and no request timeout. Exit 1 when a line failed or the file is not whole.
import { createReadStream, statSync } from 'node:fs'
import { Transform } from 'node:stream'
import type { CliContext } from '../context.js'
import { Progress } from '../progress.js'
import { ndjsonLines } from '../../ndjson-lines.js'
import { BACKUP_LIMITS } from '../../../schemas/admin.js'

const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(1)

export interface ImportArgs { file: string }

export async function importCommand (context: CliContext, args: ImportArgs, io: { stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WriteStream }): Promise<number> {
  const fromStdin = args.file === '-'
  const size = fromStdin ? undefined : statSync(args.file).size
  let counts = { imported: 0, skipped: 0, failed: 0 }
  let bytes = 0
  const progress = new Progress('import', {
    unit: 'MiB', total: size, format: mib, suffix: () => `${counts.imported} imported, ${counts.skipped} skipped, ${counts.failed} failed`
  }, io.stderr)
  const counted = new Transform({
    transform (chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      progress.update(bytes)
      done(null, chunk)
    }
  })
  const input = (fromStdin ? io.stdin : createReadStream(args.file)).pipe(counted)
  const report = await context.repos.importer.importLines(ndjsonLines(input, { maxBytes: Number.POSITIVE_INFINITY, maxLineBytes: BACKUP_LIMITS.lineBytes }), {
    onProgress: (now) => { counts = now },
    onWriteError: (line, err) => io.stderr.write(`sessiond import: line ${line}: ${err.message}\n`)
  })
  progress.finish()
  io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  return report.failed === 0 && report.complete ? 0 : 1
}
