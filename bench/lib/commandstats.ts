// Redis calls per request under load, from `INFO commandstats` read right before and right after a
// measured load. Redis 7.0 counts a command run inside a Lua script (`redis.call`) under its own name,
// exactly like one a client sent, so the deltas are split here into the calls the server sent (its
// round trips' worth) and the commands its scripts ran inside Redis:
//  - script calls (EVALSHA, EVAL, their _RO forms, FCALL) are always sent by a client;
//  - any other command counts as sent or as run in scripts as the scenario's MONITOR pass saw it
//    (MONITOR tells the two apart); one seen both ways is split in the proportion MONITOR saw;
//  - one MONITOR never saw (a rarer path of a script, say) counts as run in scripts when the server
//    called scripts during the load, else as sent.
// The harness's own INFO readings during the load are left out.
import type { CommandCount } from './monitor.js'

export const SCRIPT_CALLS = new Set(['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro'])
/** Commands the harness itself sends while a load runs (its INFO readings of CPU and command stats). */
export const HARNESS_COMMANDS = new Set(['info'])

export type CallOrigin = 'script call' | 'sent' | 'in scripts' | 'both (split as MONITOR saw)' | 'unseen by MONITOR: in scripts' | 'unseen by MONITOR: sent'

export interface CommandCalls {
  name: string
  /** Calls of this command per completed request. */
  perRequest: number
  sentPerRequest: number
  inScriptsPerRequest: number
  origin: CallOrigin
}

export interface LoadCalls {
  requests: number
  /** Every command Redis ran per request (sent + in scripts), harness INFO left out. */
  totalPerRequest: number
  /** Commands the server sent to Redis per request: its round trips' worth (pipelining aside). */
  sentPerRequest: number
  /** Commands run inside scripts per request. */
  inScriptsPerRequest: number
  /** Every command, most calls first. */
  byCommand: CommandCalls[]
}

/** after − before per command (commands that did not run are left out). */
export function callsDelta (before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {}
  for (const [name, calls] of Object.entries(after)) {
    const d = calls - (before[name] ?? 0)
    if (d > 0 && !HARNESS_COMMANDS.has(name)) delta[name] = d
  }
  return delta
}

/** The share of a command's calls that the server sent itself, and why. */
function originOf (name: string, monitor: CommandCount | null, callsScripts: boolean): [number, CallOrigin] {
  if (SCRIPT_CALLS.has(name)) return [1, 'script call']
  const seenSent = monitor?.names[name] ?? 0
  const seenInside = monitor?.insideScripts[name] ?? 0
  if (seenSent > 0 && seenInside > 0) return [seenSent / (seenSent + seenInside), 'both (split as MONITOR saw)']
  if (seenSent > 0) return [1, 'sent']
  if (seenInside > 0) return [0, 'in scripts']
  return callsScripts ? [0, 'unseen by MONITOR: in scripts'] : [1, 'unseen by MONITOR: sent']
}

/** Splits raw call counts (one or several loads' deltas summed) over `requests` completed requests. */
export function classifyCalls (calls: Record<string, number>, requests: number, monitor: CommandCount | null): LoadCalls {
  const n = Math.max(1, requests)
  const callsScripts = Object.keys(calls).some((name) => SCRIPT_CALLS.has(name))
  const byCommand: CommandCalls[] = Object.entries(calls).map(([name, count]) => {
    const [sentShare, origin] = originOf(name.split('|')[0]!, monitor, callsScripts)
    return { name, perRequest: count / n, sentPerRequest: (count * sentShare) / n, inScriptsPerRequest: (count * (1 - sentShare)) / n, origin }
  }).sort((a, b) => b.perRequest - a.perRequest)
  const sum = (pick: (c: CommandCalls) => number): number => byCommand.reduce((s, c) => s + pick(c), 0)
  return {
    requests,
    totalPerRequest: sum((c) => c.perRequest),
    sentPerRequest: sum((c) => c.sentPerRequest),
    inScriptsPerRequest: sum((c) => c.inScriptsPerRequest),
    byCommand
  }
}
