// The order of one round's measurements. Paired (the default): each sessiond scenario whose peer is in
// the run is measured right next to its own run of that peer, which goes first in every other round, and
// its ratios are taken against that run. This machine's speed drifts by up to 2× over minutes (bench/README.md,
// "Method"); a peer measured once per round, minutes away from most of the scenarios compared with it,
// turned that drift into ratio spreads of 0.5–0.9 for one route. Unpaired (--unpaired): every scenario
// once per round, shuffled, and each ratio against the round's one run of the peer.
import type { Scenario } from './scenarios.js'
import { isSessiond } from './servers.js'
import { shuffled } from './stats.js'

export interface Slot {
  scenario: Scenario
  /** For a peer's run: the sessiond scenario it was measured next to (whose ratios use it); else null. */
  pairedWith: string | null
}

export function roundSchedule (scenarios: readonly Scenario[], seed: number, round: number, paired: boolean): Slot[] {
  const alone = (s: Scenario): Slot[] => [{ scenario: s, pairedWith: null }]
  if (!paired) return shuffled(scenarios, seed + round).flatMap(alone)
  const selected = new Map(scenarios.map((s) => [s.id, s]))
  const units: Slot[][] = []
  // Scenarios placed in a pair: the sessiond scenario, and its peer (which then runs once per pair only).
  const inPairs = new Set<string>()
  for (const [index, s] of scenarios.entries()) {
    const peer = s.peer === undefined ? undefined : selected.get(s.peer)
    if (!isSessiond(s.server) || peer === undefined) continue
    inPairs.add(s.id).add(peer.id)
    const pair: Slot[] = [{ scenario: s, pairedWith: null }, { scenario: peer, pairedWith: s.id }]
    units.push((index + round) % 2 === 0 ? pair.reverse() : pair)
  }
  for (const s of scenarios) if (!inPairs.has(s.id)) units.push(alone(s))
  return shuffled(units, seed + round).flat()
}
