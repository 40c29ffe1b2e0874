#!/usr/bin/env node
// npm run test:fault: the fault suite (test/fault/, real sessiond and redis-server processes on
// loopback), one file at a time so that the timings are not shared with another scenario, then the
// figures every scenario reported, collected into .tap/fault/figures.json and printed as a table.
// Exit status: tap's. Extra arguments are passed to tap (e.g. one file: test/fault/soak.test.ts).
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const figuresDir = join(root, '.tap', 'fault')

const built = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)

rmSync(figuresDir, { recursive: true, force: true })
mkdirSync(figuresDir, { recursive: true })
const args = process.argv.slice(2)
const files = args.some((a) => a.endsWith('.ts'))
  ? []
  : readdirSync(join(root, 'test', 'fault')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'fault', f))
const tap = spawnSync('npx', ['tap', '--jobs', '1', '--timeout', '600', '--disable-coverage', ...files, ...args], { cwd: root, stdio: 'inherit' })

const figures = readdirSync(figuresDir).filter((f) => f.endsWith('.json') && f !== 'figures.json').sort()
  .map((f) => JSON.parse(readFileSync(join(figuresDir, f), 'utf8')))
writeFileSync(join(figuresDir, 'figures.json'), JSON.stringify(figures, null, 2) + '\n')
console.log('\nFault suite figures (.tap/fault/figures.json):')
for (const { scenario, at: _at, ...rest } of figures) {
  console.log(`\n  ${scenario}`)
  for (const [name, value] of Object.entries(rest)) console.log(`    ${name.padEnd(34)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
}
process.exit(tap.status ?? 1)
