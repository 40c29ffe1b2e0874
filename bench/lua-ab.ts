// Redis CPU per call of one write's script as built, against variants of it: all loaded into a private
// redis-server and called batch by batch in alternation (this machine's speed drifts within seconds),
// each batch read from `INFO commandstats` (evalsha usec_per_call). What the Lua of a write costs,
// without HTTP or Node around it.
//   --script save-step (default): PUT step's script, on the same 50 onboarding sessions;
//   --script create-session: POST session's script, each call on a fresh id, filed in one of 5 000
//     users' indexes (as where Redis is one server);
//   --script read-session: GET session's script (touch on, no version held) on the same 50 sessions.
//   --script list-sessions: the user listing's script, a page of 20 of one user's 20 bench-shaped sessions.
//   npx tsx bench/lua-ab.ts [--script S] --write /tmp/x.lua           # the script as sessiond sends it, to edit
//   npx tsx bench/lua-ab.ts [--script S] /tmp/a.lua [/tmp/b.lua …] [--rounds 40]   # built vs each variant
//   … --callgrind: instructions per call instead, redis-server run under valgrind's callgrind (needs
//     `apt-get install valgrind`; ~20× slower, 300 calls a batch, deterministic to ~0.5 % where timings
//     on this host vary ±30 % from batch to batch: two rounds tell; docs/decisions/0730)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Redis } from 'ioredis'
import { Workspace } from './lib/workspace.js'
import { startRedis } from './lib/redis-server.js'
import { median } from './lib/stats.js'
import { loadScriptDefinitions } from '../src/redis/script-loader.js'
import { luaConstants } from '../src/redis/scripts.js'
import { createKeys } from '../src/redis/keys.js'

const BATCH = 3000
const SESSIONS = 50
const USERS = 5000
const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'string' }, rounds: { type: 'string' }, script: { type: 'string' }, callgrind: { type: 'boolean' } } })
const keys = createKeys({ system: 'sessiond', env: 'bench' })
const definitions = loadScriptDefinitions(luaConstants({ publishCommand: 'PUBLISH' }, keys))
const script = (name: string): string => definitions.find((d) => d.name === name)!.lua

/** What EVALSHA takes after the sha: the key count, the keys, the arguments. */
type CallArgs = [keyCount: number, ...keysAndArgs: string[]]

/** The arguments of one create: fresh id `n`, a user among USERS (or `user`), a small metadata object. */
function createArgs (n: number, user = `u${n % USERS}`): CallArgs {
  const id = `s${String(n).padStart(21, '0')}`
  const k = [...keys.scriptKeys(id), keys.userSessions(user)]
  return [k.length, ...k, id, user, '', 'generic', 'active', 'none', '["focus"]', '23', '{"plan":"pro","source":"bench"}', '86400', '2592000', '2', '"generic"', '', '600000']
}

interface Subject {
  name: string
  /** Makes what the calls need; returns the arguments of call n (after the sha). */
  prepare: (r: Redis) => Promise<(n: number) => CallArgs>
}

/** SESSIONS onboarding sessions of user u1, made by the create script; their ids. */
async function seedSessions (r: Redis): Promise<string[]> {
  const create = await r.script('LOAD', script('createSession')) as string
  const ids = Array.from({ length: SESSIONS }, (_, i) => `s${String(i).padStart(21, '0')}`)
  for (const id of ids) {
    const k = keys.scriptKeys(id)
    await r.evalsha(create, k.length, ...k, id, 'u1', '', 'onboarding', 'active', 'normal', '[]', '23', '{}', '3600', '86400', '2', '', '', '')
  }
  return ids
}

const SUBJECTS: Record<string, Subject> = {
  'save-step': {
    name: 'saveStep',
    prepare: async (r) => {
      const ids = await seedSessions(r)
      const data = JSON.stringify({ answer: 'x'.repeat(180) })
      return (n) => {
        const k = keys.scriptKeys(ids[n % SESSIONS]!)
        return [k.length, ...k, 'u1', '', String(1 + (n % 23)), data]
      }
    }
  },
  'create-session': { name: 'createSession', prepare: async () => createArgs },
  'list-sessions': {
    name: 'listUserSessions',
    prepare: async (r) => {
      const create = await r.script('LOAD', script('createSession')) as string
      for (let i = 0; i < 20; i++) await r.evalsha(create, ...createArgs(i, 'u1'))
      const [prefix, suffix] = keys.sessionHashParts()
      return () => [1, keys.userSessions('u1'), prefix, suffix, 'u1', '', '', '20', '', '', '1000']
    }
  },
  'read-session': {
    name: 'readSession',
    prepare: async (r) => {
      const ids = await seedSessions(r)
      return (n) => {
        const k = keys.scriptKeys(ids[n % SESSIONS]!)
        return [k.length, ...k, 'u1', '1', '']
      }
    }
  }
}

/** Sends the calls (sha, then EVALSHA's arguments) in one pipeline; the first answer as [error, reply]. */
async function runPipeline (r: Redis, calls: ReadonlyArray<readonly [string, ...CallArgs]>): Promise<[Error | null, unknown]> {
  const pipeline = r.pipeline()
  for (const [sha, ...rest] of calls) pipeline.evalsha(sha, ...rest)
  return (await pipeline.exec())![0]!
}

const subject = SUBJECTS[values.script ?? 'save-step']
if (subject === undefined) throw new Error(`--script: one of ${Object.keys(SUBJECTS).join(', ')}`)

if (values.write !== undefined) {
  writeFileSync(values.write, script(subject.name))
  process.stdout.write(`wrote ${values.write}\n`)
} else {
  const variants = [script(subject.name), ...positionals.map((file) => readFileSync(file, 'utf8'))]
  const labels = ['built', ...positionals]
  const ws = new Workspace()
  try {
    const callgrind = values.callgrind === true
    const profiles = join(ws.dir, 'callgrind')
    const redis = await startRedis(ws.dir, 'redis', callgrind ? ['valgrind', '--tool=callgrind', `--callgrind-out-file=${profiles}.%p`] : [])
    ws.add(redis.stop)
    const r = redis.client
    const shas = await Promise.all(variants.map(async (lua) => await r.script('LOAD', lua) as string))
    const args = await subject.prepare(r)
    const batch = callgrind ? 300 : BATCH
    /** Per call: µs (INFO commandstats), or instructions (callgrind's counters, zeroed before the batch, dumped after). */
    const measure = async (run: () => Promise<void>): Promise<number> => {
      if (!callgrind) {
        await r.config('RESETSTAT')
        await run()
        return Number(/cmdstat_evalsha:.*usec_per_call=([0-9.]+)/.exec(await r.info('commandstats'))![1])
      }
      execFileSync('callgrind_control', ['-z', String(redis.pid)], { stdio: 'ignore' })
      await run()
      execFileSync('callgrind_control', ['-d', String(redis.pid)], { stdio: 'ignore' })
      // Each dump is a file of its own, `callgrind.<pid>.<n>` (the final one, at exit, `callgrind.<pid>`).
      const part = (file: string): number => Number(file.split('.')[2] ?? -1)
      const latest = readdirSync(ws.dir).filter((f) => f.startsWith('callgrind.')).sort((a, b) => part(b) - part(a))[0]!
      return Number(/^summary: (\d+)/m.exec(readFileSync(join(ws.dir, latest), 'utf8'))![1]) / batch
    }
    const perCall: number[][] = variants.map(() => [])
    let n = 0
    // One batch of each first, unmeasured: the first calls on the subject's keys change them most (a
    // step saved for the first time), and the first batch was the built script's every time.
    for (const sha of shas) await runPipeline(r, Array.from({ length: batch }, () => [sha, ...args(n++)] as const))
    for (let round = 0; round < Number(values.rounds ?? (callgrind ? 2 : 40)); round++) {
      const order = variants.map((_, v) => v)
      if (round % 2 === 1) order.reverse()
      for (const v of order) {
        const calls = Array.from({ length: batch }, () => [shas[v]!, ...args(n++)] as const)
        perCall[v]!.push(await measure(async () => {
          const first = await runPipeline(r, calls)
          if (first[0] !== null || (Array.isArray(first[1]) && first[1][0] !== 0)) throw new Error(`${labels[v]!} answered ${JSON.stringify(first)}`)
        }))
      }
    }
    const unit = callgrind ? 'instructions/call' : 'µs/call'
    const shown = (x: number): string => callgrind ? x.toFixed(0) : x.toFixed(2)
    process.stdout.write(`${labels[0]!}: ${shown(median(perCall[0]!)!)} ${unit}\n`)
    for (let v = 1; v < variants.length; v++) {
      const ratios = perCall[v]!.map((b, i) => b / perCall[0]![i]!)
      process.stdout.write(`${labels[v]!}: ${shown(median(perCall[v]!)!)} ${unit}; ÷ built per round: median ${median(ratios)!.toFixed(3)} ` +
        `(${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})\n`)
    }
  } finally {
    await ws.close()
  }
}
