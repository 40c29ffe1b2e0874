#!/usr/bin/env node
// `npx sessiond <command>` (contract §9, the package's bin): export, import, doctor, stats, migrate, rotate-keys.
// Configured by the same environment as the server (and ./.env); talks to Redis directly through the
// repositories. stdout carries the output (NDJSON, JSON, the doctor's report), stderr the progress
// and the errors. Exit codes: 0 done, 1 done but something is wrong (a warning, a failed line, an
// export that failed midway), 2 it could not run (usage, configuration, Redis unreachable).
import { config as loadDotenv } from 'dotenv'
import { parseArgs } from 'node:util'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openContext, UsageError, type CliContext } from './context.js'
import { exportCommand } from './commands/export.js'
import { importCommand } from './commands/import.js'
import { doctorCommand } from './commands/doctor.js'
import { statsCommand } from './commands/stats.js'
import { migrateCommand } from './commands/migrate.js'
import { rotateKeysCommand } from './commands/rotate-keys.js'
import { SERVICE_VERSION } from '../version.js'

export const USAGE = `Usage: sessiond <command> [options]

Commands (configured by the server's environment: REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS,
KEY_SYSTEM, KEY_ENV …; ./.env is read when present):
  export [--out <file>]   back up every session as NDJSON (stdout unless --out)
  import <file>           restore a backup (- reads stdin); idempotent; prints the report
  doctor [--json]         check the Redis settings that can lose sessions; exit 1 while a warning stands
  stats                   live sessions by kind and state, and the last 30 days, as JSON
  migrate                 rewrite stored session documents in the current schema version
  rotate-keys             seal every stored value under the first key of ENCRYPTION_KEYS

Progress goes to stderr when it is a terminal; stdout stays clean for pipes.
`

export interface CliIo {
  stdin: NodeJS.ReadableStream
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WriteStream
  env: Record<string, string | undefined>
}

type Command = (context: CliContext, io: CliIo) => Promise<number>

function parse (argv: string[]): Command {
  const [name, ...rest] = argv
  const options = {
    out: { type: 'string' as const, short: 'o' },
    json: { type: 'boolean' as const }
  }
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true })
  const none = (): void => { if (positionals.length > 0 || values.out !== undefined || values.json !== undefined) throw new UsageError(`${name} takes no such arguments`, true) }
  switch (name) {
    case 'export':
      if (positionals.length > 0 || values.json !== undefined) throw new UsageError('export takes only --out <file>', true)
      return async (context, io) => await exportCommand(context, { out: values.out }, io)
    case 'import':
      if (positionals.length !== 1 || values.out !== undefined || values.json !== undefined) throw new UsageError('import takes one file (or - for stdin)', true)
      return async (context, io) => await importCommand(context, { file: positionals[0]! }, io)
    case 'doctor':
      if (positionals.length > 0 || values.out !== undefined) throw new UsageError('doctor takes only --json', true)
      return async (context, io) => await doctorCommand(context, { json: values.json === true }, io)
    case 'stats':
      none()
      return async (context, io) => await statsCommand(context, io)
    case 'migrate':
      none()
      return async (context, io) => await migrateCommand(context, io)
    case 'rotate-keys':
      none()
      return async (context, io) => await rotateKeysCommand(context, io)
    default:
      throw new UsageError(name === undefined ? '' : `unknown command "${name}"`, true)
  }
}

/** Runs one command line; resolves to the exit code. */
export async function run (argv: string[], cliIo: CliIo): Promise<number> {
  const { stderr } = cliIo
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    cliIo.stdout.write(USAGE)
    return 0
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    cliIo.stdout.write(`${SERVICE_VERSION}\n`)
    return 0
  }
  let context: CliContext | undefined
  try {
    const command = parse(argv)
    context = await openContext(cliIo.env)
    return await command(context, cliIo)
  } catch (caught) {
    const err = caught as Error & { code?: string }
    const badArguments = err.code?.startsWith('ERR_PARSE_ARGS') === true
    if (err instanceof UsageError || badArguments) {
      if (err.message !== '') stderr.write(`sessiond: ${err.message}\n`)
      if (badArguments || (err instanceof UsageError && err.showUsage)) stderr.write(`${err.message === '' ? '' : '\n'}${USAGE}`)
      return 2
    }
    if (err.code === 'EPIPE') return 0 // the reader of stdout went away (| head)
    stderr.write(`sessiond: ${err.message}\n`)
    return 2
  } finally {
    await context?.close().catch(() => {})
  }
}

/** True when this module is the program (the bin's symlink, node dist/src/cli/main.js), not imported by a test. */
function isMain (): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  loadDotenv({ quiet: true })
  const code = await run(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env })
  process.exitCode = code
}
