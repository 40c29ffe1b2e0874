// npm prestart: builds (emit only, no type check) only when a source is newer than the last finished build, so a
// start after a build does not spend seconds type-checking again (docs/decisions/0402).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SOURCES = ['src', 'plugins', 'routes', 'schemas', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']
const STAMP = 'dist/.build-stamp'

function mtimeMs (path) {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

/** The newest modification time under `path` (0 when it does not exist). */
function newest (path) {
  const own = mtimeMs(path) ?? 0
  let entries
  try {
    entries = readdirSync(path)
  } catch {
    return own
  }
  return entries.reduce((latest, name) => Math.max(latest, newest(join(path, name))), own)
}

const builtAt = mtimeMs(STAMP)
const changedAt = Math.max(...SOURCES.map(newest))
if (builtAt !== undefined && changedAt < builtAt) process.exit(0)
// Emit without type checking: starting the server should not wait for it (CI and `npm run typecheck` check types).
const emit = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--noCheck'], { stdio: 'inherit' })
if (emit.status !== 0) process.exit(emit.status ?? 1)
const finish = spawnSync(process.execPath, ['scripts/finish-build.mjs'], { stdio: 'inherit' })
process.exit(finish.status ?? 1)
