// The benchmark's round order (bench/lib/schedule.ts): each sessiond scenario runs right next to its own
// run of its peer, the pair's order alternates between rounds, and every other scenario runs once.
import t from 'tap'
import { roundSchedule } from '../bench/lib/schedule.js'
import { SCENARIOS } from '../bench/lib/scenarios.js'

const pick = (...ids: string[]) => SCENARIOS.filter((s) => ids.includes(s.id))
const selected = pick('get-session', 'put-step', 'post-session', 'peer-get-session', 'peer-put-step', 'bare', 'redis-lua')

t.test('paired: every sessiond scenario next to a run of its peer made for it', async (t) => {
  for (const round of [1, 2, 3]) {
    const slots = roundSchedule(selected, 42, round, true)
    const ids = slots.map((slot) => slot.scenario.id)
    t.equal(slots.length, 3 * 2 + 2, 'three pairs and the two baselines')
    t.same(ids.filter((id) => !id.startsWith('peer-')).sort(), ['bare', 'get-session', 'post-session', 'put-step', 'redis-lua'])
    for (const id of ['get-session', 'put-step', 'post-session']) {
      const at = ids.indexOf(id)
      const peer = slots.findIndex((slot) => slot.pairedWith === id)
      t.equal(Math.abs(at - peer), 1, `${id}: its peer's run is adjacent`)
      t.equal(slots[peer]!.scenario.id, SCENARIOS.find((s) => s.id === id)!.peer)
    }
  }
  const first = (round: number): boolean => {
    const slots = roundSchedule(selected, 42, round, true)
    return slots.findIndex((slot) => slot.pairedWith === 'put-step') < slots.findIndex((slot) => slot.scenario.id === 'put-step')
  }
  t.not(first(1), first(2), 'the peer goes first in every other round')
})

t.test('a scenario whose peer is not selected, and --unpaired, run each scenario once', async (t) => {
  t.same(roundSchedule(pick('put-step', 'bare'), 7, 1, true).map((slot) => slot.pairedWith), [null, null])
  const unpaired = roundSchedule(selected, 7, 1, false)
  t.equal(unpaired.length, selected.length)
  t.ok(unpaired.every((slot) => slot.pairedWith === null))
})
