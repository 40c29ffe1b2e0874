import t from 'tap'
import fc from 'fast-check'
import { isoFromMs, utcDate } from '../../src/domain/time.js'

t.test('isoFromMs writes exactly what Date#toISOString writes, for any time', async (t) => {
  fc.assert(fc.property(fc.integer({ min: -62_198_755_200_000, max: 253_402_300_799_999 }), (ms) => {
    if (isoFromMs(ms) !== new Date(ms).toISOString()) throw new Error(`${ms}: ${isoFromMs(ms)} ≠ ${new Date(ms).toISOString()}`)
  }), { numRuns: 20_000 })
  for (const ms of [0, 951_782_400_000, 4_107_542_399_999, 1_709_164_800_000, 253_402_300_799_999, Date.UTC(2000, 1, 29, 23, 59, 59, 999)]) {
    t.equal(isoFromMs(ms), new Date(ms).toISOString(), `${ms}: leap days and ends of months`)
  }
  t.equal(isoFromMs(null), null)
  t.equal(isoFromMs(Number.NaN), null)
  t.equal(utcDate(Date.UTC(2026, 10, 22, 23, 59)), '2026-11-22')
})

t.test('isoFromMs is right for runs of nearby times (within and across seconds and days)', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_798_000 }), fc.array(fc.integer({ min: 0, max: 1999 }), { minLength: 1, maxLength: 6 }), (base, offsets) => {
    for (const offset of offsets) {
      const ms = base + offset
      if (isoFromMs(ms) !== new Date(ms).toISOString()) throw new Error(`${ms}: ${isoFromMs(ms)} ≠ ${new Date(ms).toISOString()}`)
    }
  }), { numRuns: 5_000 })
  t.pass('every time of the same and the next second formats as Date#toISOString does')
})

t.test('isoFromMs stays right across more days than it keeps, and for fractions of a millisecond', async (t) => {
  const base = Date.UTC(2026, 0, 1)
  for (let day = 0; day < 3000; day += 1) {
    const ms = base + day * 86_400_000 + ((day * 7_919_131) % 86_400_000)
    if (isoFromMs(ms) !== new Date(ms).toISOString()) t.fail(`${ms}: ${isoFromMs(ms)}`)
  }
  t.equal(isoFromMs(base + 1.75), new Date(base + 1.75).toISOString())
  t.equal(isoFromMs(base - 0.5), new Date(base - 0.5).toISOString())
})
