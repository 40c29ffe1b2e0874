// `sessiond stats`: the JSON of GET /v1/admin/stats on stdout.
import type { CliContext } from '../context.js'

export async function statsCommand (context: CliContext, io: { stdout: NodeJS.WritableStream }): Promise<number> {
  io.stdout.write(`${JSON.stringify(await context.repos.stats.read(), null, 2)}\n`)
  return 0
}
