// `npx sessiond export|import|doctor|stats|migrate` (contract §9 command line), run in this process
// against the test Redis, and once as a process the way the bin runs.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { buildTestApp, createSession, json, tempDir, type TestApp } from './helper.js'
import { run } from '../src/cli/main.js'
import { Progress } from '../src/cli/progress.js'

interface Ran { code: number, stdout: string, stderr: string }

/** Runs the command line in this process; stderr claims to be a terminal when `tty`. */
async function cli (args: string[], env: Record<string, string>, options: { tty?: boolean, stdin?: string } = {}): Promise<Ran> {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty === true })
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)])
  const code = await run(args, { stdin, stdout, stderr: stderr as unknown as NodeJS.WriteStream, env })
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

const envOf = (test: TestApp): Record<string, string> => ({ REDIS_URL: test.config.redis.url!, KEY_ENV: test.config.keys.env })

async function eraseEverything (test: TestApp): Promise<void> {
  const keys = await test.allKeys({ bookkeeping: true })
  if (keys.length > 0) await test.redis.del(...keys)
}

t.test('export to a file, erase, import it back: the same sessions; a second import skips them all', async (t) => {
  const test = await buildTestApp(t)
  const ids: string[] = []
  for (let i = 0; i < 7; i++) ids.push((await createSession(test.app, { user_id: `cli-${i % 3}`, kind: 'chat', metadata: { i } })).id)
  await test.app.inject({ method: 'POST', url: `/v1/sessions/${ids[0]}/messages`, payload: { role: 'user', content: 'kept' } })
  const before = await Promise.all(ids.map(async (id) => json(await test.app.inject(`/v1/sessions/${id}/summary?touch=false`))))
  const file = join(tempDir(t, 'cli'), 'backup.ndjson')

  const exported = await cli(['export', '--out', file], envOf(test))
  t.same(exported, { code: 0, stdout: '', stderr: '' }, 'nothing on stdout or stderr (not a terminal)')
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
  t.match(lines[0], { format: 'sessiond-export' })
  t.same(lines.at(-1), { end: true, sessions: 7 })

  await eraseEverything(test)
  const imported = await cli(['import', file], envOf(test))
  t.equal(imported.code, 0)
  t.same(JSON.parse(imported.stdout), { imported: 7, skipped: 0, failed: 0, complete: true, errors: [] })
  t.same(await Promise.all(ids.map(async (id) => json(await test.app.inject(`/v1/sessions/${id}/summary?touch=false`)))), before)

  const again = await cli(['import', file], envOf(test))
  t.equal(again.code, 0)
  t.same(JSON.parse(again.stdout), { imported: 0, skipped: 7, failed: 0, complete: true, errors: [] })
})

t.test('stdout is clean NDJSON for pipes; progress goes to stderr only when it is a terminal', async (t) => {
  const test = await buildTestApp(t)
  for (let i = 0; i < 3; i++) await createSession(test.app)
  const piped = await cli(['export'], envOf(test))
  t.equal(piped.code, 0)
  t.equal(piped.stderr, '')
  const lines = piped.stdout.split('\n')
  t.equal(lines.pop(), '', 'ends with a newline')
  t.equal(lines.length, 5)
  for (const line of lines) t.doesNotThrow(() => JSON.parse(line))

  const onTerminal = await cli(['export'], envOf(test), { tty: true })
  t.equal(onTerminal.stdout.split('\n').length, 6, 'the same output')
  t.match(onTerminal.stderr, /export: 3 of ~3 sessions · [\d,]+ sessions\/s/)

  // An import from stdin, with progress in MiB and what it did.
  await eraseEverything(test)
  const fromStdin = await cli(['import', '-'], envOf(test), { tty: true, stdin: piped.stdout })
  t.equal(fromStdin.code, 0)
  t.match(JSON.parse(fromStdin.stdout), { imported: 3 })
  t.match(fromStdin.stderr, /import: [\d.]+ MiB · [\d.]+ MiB\/s · 3 imported, 0 skipped, 0 failed/)
})

t.test('a file with a bad line imports the rest and exits 1', async (t) => {
  const test = await buildTestApp(t)
  await createSession(test.app)
  const exported = (await cli(['export'], envOf(test))).stdout.trim().split('\n')
  await eraseEverything(test)
  const file = join(tempDir(t, 'cli'), 'bad.ndjson')
  writeFileSync(file, [exported[0], '{oops', ...exported.slice(1)].join('\n'))
  const imported = await cli(['import', file], envOf(test))
  t.equal(imported.code, 1)
  t.match(JSON.parse(imported.stdout), { imported: 1, failed: 1, complete: false, errors: [{ line: 2, code: 'invalid_json' }, { code: 'count_mismatch' }] })
})

t.test('stats and migrate print JSON', async (t) => {
  const test = await buildTestApp(t)
  await createSession(test.app, { kind: 'narrative' })
  const stats = await cli(['stats'], envOf(test))
  t.equal(stats.code, 0)
  const parsed = JSON.parse(stats.stdout)
  t.match(parsed.live, { total: 1, by_kind: { narrative: 1 } })
  t.equal(parsed.days.length, 30)
  const migrate = await cli(['migrate'], envOf(test), { tty: true })
  t.equal(migrate.code, 0)
  t.same(JSON.parse(migrate.stdout), { examined: 1, migrated: 0, current: 1, gone: 0 })
  t.match(migrate.stderr, /migrate: 1 of ~1 sessions/)
})

t.test('without a Redis to talk to it says what to set and exits 2; bad arguments show the usage', async (t) => {
  const none = await cli(['stats'], {})
  t.equal(none.code, 2)
  t.match(none.stderr, /no Redis is configured\. Set REDIS_URL \(or REDIS_CLUSTER_NODES, or REDIS_SENTINELS/)
  t.notMatch(none.stderr, /Usage:/)
  const unreachable = await cli(['stats'], { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CONNECT_TIMEOUT_MS: '500' })
  t.equal(unreachable.code, 2)
  t.match(unreachable.stderr, /cannot reach Redis/)
  const badConfig = await cli(['stats'], { REDIS_URL: 'http://nope' })
  t.match(badConfig, { code: 2, stderr: /REDIS_URL must start with redis:\/\// })
  for (const args of [[], ['frobnicate'], ['import'], ['export', 'extra'], ['stats', '--json'], ['doctor', '--nope']]) {
    const bad = await cli(args, { REDIS_URL: 'redis://127.0.0.1:1' })
    t.equal(bad.code, 2, args.join(' ') || '(no command)')
    t.match(bad.stderr, /Usage: sessiond <command>/)
  }
  t.match(await cli(['--help'], {}), { code: 0, stdout: /Usage: sessiond <command>[\s\S]*export \[--out <file>\][\s\S]*migrate/, stderr: '' })
})

t.test('the progress line: done, rate and ETA', async (t) => {
  const start = Date.now()
  const progress = new Progress('export', { unit: 'sessions', total: 1000 }, Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream)
  t.equal(progress.line(250, start + 5000), 'export: 250 of ~1,000 sessions · 50 sessions/s · ETA 0:15')
  t.equal(progress.line(1000, start + 10_000), 'export: 1,000 of ~1,000 sessions · 100 sessions/s')
})

t.test('the bin runs as a process: the package points at the compiled entry, which has a shebang', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  t.same(pkg.bin, { sessiond: 'dist/src/cli/main.js' })
  t.match(readFileSync(new URL('../src/cli/main.ts', import.meta.url), 'utf8'), /^#!\/usr\/bin\/env node\n/)
  const entry = new URL('../src/cli/main.ts', import.meta.url).pathname
  const tsx = import.meta.resolve('tsx') // from any working directory
  const help = spawnSync(process.execPath, ['--import', tsx, entry, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } })
  t.equal(help.status, 0)
  t.match(help.stdout, /^Usage: sessiond <command>/)
  // From a folder without a .env: the environment has no Redis.
  const noRedis = spawnSync(process.execPath, ['--import', tsx, entry, 'doctor'], { encoding: 'utf8', env: { PATH: process.env.PATH }, cwd: tempDir(t, 'cli-cwd') })
  t.equal(noRedis.status, 2)
  t.match(noRedis.stderr, /^sessiond: no Redis is configured/)
  t.equal(noRedis.stdout, '')
})
