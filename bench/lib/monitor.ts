// Redis commands per request: a MONITOR connection watches while a few requests go out one at a
// time. A script call (EVALSHA/EVAL/FCALL) counts as one command; the commands it runs inside Redis
// (MONITOR shows them with source "lua") are counted apart. This pass names the commands; how many a
// request costs under load comes from INFO commandstats (lib/commandstats.ts): sent one at a time,
// requests share sessiond's background batches (rate-limit counts, audit entries) differently.
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
/**
 * Waited after priming, before watching: the background work seeding and priming left (batched
 * rate-limit counts and audit entries, flushed at most every 100 ms) lands first.
 */
const SETTLE_MS = 500
/** Waited after the last request: the batches the watched requests caused are part of their cost. */
const TAIL_MS = 250
/** Sent by the harness on its own connection: MONITOR counts only what Redis runs between the two. */
const START_MARK = 'bench:monitor:start'
const END_MARK = 'bench:monitor:end'
/**
 * The expiry sweep runs on a timer, not per request (every sessiond process, every 10 s ± 25 %): a
 * script call whose first key is an expiry index is the sweep's, and neither it nor what it runs inside
 * Redis is counted. Under load INFO commandstats still counts it, spread over the requests.
 */
const isSweep = (args: string[]): boolean => /^(evalsha|eval)$/i.test(String(args[0])) && /:expiry:/.test(String(args[3] ?? ''))

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
  await sleep(SETTLE_MS)
  const client = new Redis({ port: redisPort, host: '127.0.0.1', lazyConnect: true })
  await client.connect()
  const monitor = await client.monitor()
  const names: Record<string, number> = {}
  const inside: Record<string, number> = {}
  let sent = 0
  let scripted = 0
  // MONITOR reports commands in the order Redis runs them: whatever comes before the start mark
  // (sent before the first watched request) or after the end mark is not counted.
  let counting = false
  let inSweep = false
  let ended: () => void = () => {}
  const endSeen = new Promise<void>((resolve) => { ended = resolve })
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? '').toLowerCase()
    if (name === 'echo' && args[1] === START_MARK) { counting = true; return }
    if (name === 'echo' && args[1] === END_MARK) { counting = false; ended(); return }
    if (!counting) return
    if (source !== 'lua') inSweep = isSweep(args)
    if (inSweep) return
    if (source === 'lua') { inside[name] = (inside[name] ?? 0) + 1; scripted++ } else { names[name] = (names[name] ?? 0) + 1; sent++ }
  })
  // The subscription is in place once MONITOR has answered; the mark is then the first thing counted.
  await client.echo(START_MARK)
  for (let k = PRIMING_REQUESTS; k < PRIMING_REQUESTS + requests; k++) await sendNext(k)
  await sleep(TAIL_MS)
  await client.echo(END_MARK)
  await Promise.race([endSeen, sleep(2000)])
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
