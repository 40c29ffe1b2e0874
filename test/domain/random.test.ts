import { test } from 'tap'
import { randomSlice } from '../../src/domain/random.js'
import { newId } from '../../src/domain/ids.js'

test('slices never overlap, also across a refill, and a handed-out slice never changes', async (t) => {
  const first = randomSlice(18)
  const kept = Buffer.from(first)
  const seen = new Set<string>()
  // 16 KiB blocks: 3 000 slices of 18 bytes cross three refills.
  for (let i = 0; i < 3000; i++) seen.add(randomSlice(18).toString('hex'))
  t.equal(seen.size, 3000, 'no slice repeats')
  t.same(first, kept, 'the first slice kept its bytes through the refills')
  t.throws(() => randomSlice(16 * 1024 + 1), RangeError)
})

test('a slice is random: bytes spread over every value', async (t) => {
  const counts = new Uint32Array(256)
  for (let i = 0; i < 4000; i++) for (const byte of randomSlice(16)) counts[byte]!++
  // 64 000 bytes: each value expected 250 times; a constant or counter source would fail this.
  t.ok(Math.min(...counts) > 150 && Math.max(...counts) < 350, `byte counts ${Math.min(...counts)}–${Math.max(...counts)}`)
})

test('ids are 24 URL-safe characters and unique', async (t) => {
  const ids = new Set(Array.from({ length: 2000 }, newId))
  t.equal(ids.size, 2000)
  t.same([...ids].filter((id) => !/^[A-Za-z0-9_-]{24}$/.test(id)), [], 'every id is 24 base64url characters')
})
