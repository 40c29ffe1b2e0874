// npm prestart / pretest hook: makes sure a redis-server binary is on PATH when sessiond will need one.
//   node scripts/ensure-redis-server.mjs              prestart: only when no external Redis is configured
//   node scripts/ensure-redis-server.mjs --for-tests  pretest: tests always run against a real redis-server
// When it is missing: as root with apt-get it installs it (opt out with SESSIOND_AUTO_INSTALL=0);
// otherwise it prints how to get one and exits 1.
import { spawnSync } from 'node:child_process'
import dotenv from 'dotenv'
import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

// Same text as RedisServerMissingError in src/redis/embedded-server.ts.
const MISSING_MESSAGE = [
  'redis-server was not found on PATH. sessiond starts a private one when none of REDIS_URL,',
  'REDIS_CLUSTER_NODES or REDIS_SENTINELS is set (and its tests always do). Do one of:',
  '  - install it: `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS);',
  '  - run one in Docker: `docker compose up -d redis` and set REDIS_URL=redis://127.0.0.1:6379;',
  '  - point REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS at an existing Redis.'
].join('\n')

const EXTERNAL_REDIS_VARS = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS']

function onPath (name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return true
    } catch {
      // not in this directory
    }
  }
  return false
}

/** The variables of ./.env, if there is one, read as the service reads it (dotenv). */
function readDotEnv () {
  try {
    return dotenv.parse(readFileSync('.env', 'utf8'))
  } catch {
    return {}
  }
}

function embeddedRedisNeeded () {
  // Variables already in the environment win over .env, as in the config loader.
  const env = { ...readDotEnv(), ...process.env }
  if (EXTERNAL_REDIS_VARS.some((name) => (env[name] ?? '').trim() !== '')) return false
  return env.NODE_ENV !== 'production'
}

function install () {
  console.log('redis-server is missing: installing it with apt-get (set SESSIOND_AUTO_INSTALL=0 to skip)')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  if (update.status !== 0) return update.status ?? 1
  const result = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env })
  return result.status ?? 1
}

function main () {
  if (onPath('redis-server')) return 0
  const forTests = process.argv.includes('--for-tests')
  if (!forTests && !embeddedRedisNeeded()) return 0

  const isRoot = process.getuid?.() === 0
  if (isRoot && onPath('apt-get') && process.env.SESSIOND_AUTO_INSTALL !== '0') return install()

  console.error(MISSING_MESSAGE)
  return 1
}

process.exitCode = main()
