// Redis CPU per call of the save-step script (PUT step's one round trip) as built, against a variant of
// it: both loaded into a private redis-server and called on the same 50 onboarding sessions, batch by
// batch in alternation (this machine's speed drifts within seconds), each batch read from `INFO
// commandstats` (evalsha usec_per_call). What the Lua of a write costs, without HTTP or Node around it.
//   npx tsx bench/lua-ab.ts --write /tmp/save-step.lua     # the script as sessiond sends it, to edit
//   npx tsx bench/lua-ab.ts /tmp/variant.lua [--rounds 40]  # built vs variant
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Workspace } from './lib/workspace.js'
import { startRedis } from './lib/redis-server.js'
import { median } from './lib/stats.js'
import { loadScriptDefinitions } from '../src/redis/script-loader.js'
import { luaConstants } from '../src/redis/scripts.js'
import { createKeys } from '../src/redis/keys.js'

const BATCH = 3000
const SESSIONS = 50
const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'string' }, rounds: { type: 'string' } } })
const keys = createKeys({ system: 'sessiond', env: 'bench' })
const definitions = loadScriptDefinitions(luaConstants({ publishCommand: 'PUBLISH' }, keys))
const script = (name: string): string => definitions.find((d) => d.name === name)!.lua

if (values.write !== undefined) {
  writeFileSync(values.write, script('saveStep'))
  process.stdout.write(`wrote ${values.write}\n`)
} else {
  const variant = positionals[0] === undefined ? script('saveStep') : readFileSync(positionals[0], 'utf8')
  const ws = new Workspace()
  try {
    const redis = await startRedis(ws.dir)
    ws.add(redis.stop)
    const r = redis.client
    const create = await r.script('LOAD', script('createSession')) as string
    const shas = [await r.script('LOAD', script('saveStep')) as string, await r.script('LOAD', variant) as string]
    const ids = Array.from({ length: SESSIONS }, (_, i) => `s${String(i).padStart(21, '0')}`)
    for (const id of ids) {
      const k = keys.scriptKeys(id)
      await r.evalsha(create, k.length, ...k, id, 'u1', '', 'onboarding', 'active', 'normal', '[]', '23', '{}', '3600', '86400', '2', '', '', '')
    }
    const data = JSON.stringify({ answer: 'x'.repeat(180) })
    const micros: [number[], number[]] = [[], []]
    let n = 0
    for (let round = 0; round < Number(values.rounds ?? 40); round++) {
      for (const v of round % 2 === 0 ? [0, 1] : [1, 0]) {
        await r.config('RESETSTAT')
        const pipeline = r.pipeline()
        for (let i = 0; i < BATCH; i++) {
          const k = keys.scriptKeys(ids[i % SESSIONS]!)
          pipeline.evalsha(shas[v]!, k.length, ...k, 'u1', '', String(1 + (n++ % 23)), data)
        }
        const [first] = (await pipeline.exec())!
        if (first![0] !== null || (first![1] as unknown[])[0] !== 0) throw new Error(`${v === 0 ? 'built' : 'variant'} answered ${JSON.stringify(first)}`)
        micros[v as 0 | 1].push(Number(/cmdstat_evalsha:.*usec_per_call=([0-9.]+)/.exec(await r.info('commandstats'))![1]))
      }
    }
    const ratios = micros[1].map((b, i) => b / micros[0][i]!)
    process.stdout.write(`built ${median(micros[0])!.toFixed(2)} µs/call, variant ${median(micros[1])!.toFixed(2)} µs/call; ` +
      `variant ÷ built per round: median ${median(ratios)!.toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})\n`)
  } finally {
    await ws.close()
  }
}
