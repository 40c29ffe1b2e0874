// Redis commands per request: a MONITOR connection watches while a few requests go out one at a
// time. A script call (EVALSHA/EVAL/FCALL) counts as one command; the commands it runs inside Redis
// (MONITOR shows them with source "lua") are counted apart.
import { Redis } from 'ioredis'
import { setTimeout as sleep } from 'node:timers/promises'
import { HttpClient } from './http.js'
import type { SlotSpec } from './load-spec.js'

export interface CommandCount {
  requests: number
  /** Commands sent to Redis (round trips' worth) per request. */
  perRequest: number
  /** Commands run inside scripts per request. */
  insideScriptsPerRequest: number
  /** Command name → count per request (sent commands; script calls as evalsha/eval). */
  names: Record<string, number>
  insideScripts: Record<string, number>
  /** Statuses other than 2xx seen during the pass, with a body sample. */
  failures: string[]
}

/** Requests sent before watching, so that script loading (NOSCRIPT → EVAL) is not counted. */
const PRIMING_REQUESTS = 2

export async function countCommands (redisPort: number, serverUrl: string, slots: SlotSpec[], requests: number): Promise<CommandCount> {
  const http = new HttpClient(serverUrl, 1)
  const failures: string[] = []
  const cursors = slots.map(() => 0)
  const sendNext = async (k: number): Promise<void> => {
    const s = k % slots.length
    const slot = slots[s]!
    const r = slot.requests[cursors[s]!++ % slot.requests.length]!
    const res = await http.send({ method: r.method, path: r.path, headers: slot.headers, body: r.body })
    if (res.status < 200 || res.status > 299) failures.push(`${r.method} ${r.path} → ${res.status} ${res.body.slice(0, 200)}`)
  }
  for (let k = 0; k < PRIMING_REQUESTS; k++) await sendNext(k)
  const client = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true })
  await client.connect()
  const monitor = await client.monitor()
  const names: Record<string, number> = {}
  const inside: Record<string, number> = {}
  let sent = 0
  let scripted = 0
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? '').toLowerCase()
    if (source === 'lua') { inside[name] = (inside[name] ?? 0) + 1; scripted++ } else { names[name] = (names[name] ?? 0) + 1; sent++ }
  })
  // Let the MONITOR subscription settle before the first request.
  await sleep(50)
  for (let k = PRIMING_REQUESTS; k < PRIMING_REQUESTS + requests; k++) await sendNext(k)
  // Work a request leaves behind (batched counters, audit) is part of its cost: give it time to land.
  await sleep(250)
  http.close()
  monitor.disconnect()
  client.disconnect()
  const per = (counts: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, n / requests]))
  return {
    requests,
    perRequest: sent / requests,
    insideScriptsPerRequest: scripted / requests,
    names: per(names),
    insideScripts: per(inside),
    failures
  }
}
