import { test } from 'tap'
import { setNewest } from '../../src/domain/bounded-map.js'

test('setNewest keeps at most `limit` entries and forgets the least recently set first', async (t) => {
  const map = new Map<string, number>()
  for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) setNewest(map, key, value, 3)
  setNewest(map, 'a', 10, 3) // set again: newest now, nothing forgotten
  t.same([...map], [['b', 2], ['c', 3], ['a', 10]])
  setNewest(map, 'd', 4, 3)
  t.same([...map], [['c', 3], ['a', 10], ['d', 4]], 'b, the least recently set, is forgotten')
})
