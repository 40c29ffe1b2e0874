// CSPRNG bytes for ids and nonces, cut from one block: one randomFillSync per block instead of one
// randomBytes call per value (a call costs 2–10 µs; it was ~5 % of CPU under POST session load). Node's
// randomUUID pools the same way. Every byte is handed out once; a refill fills a new block, so a slice
// already handed out never changes.
import { randomFillSync } from 'node:crypto'

const BLOCK_BYTES = 16 * 1024

let block = Buffer.alloc(0)
let next = 0

/** `bytes` fresh random bytes (at most one block's worth). The slice is the caller's: never handed out again. */
export function randomSlice (bytes: number): Buffer {
  if (bytes > BLOCK_BYTES) throw new RangeError(`randomSlice: at most ${BLOCK_BYTES} bytes at once`)
  if (next + bytes > block.length) {
    block = randomFillSync(Buffer.allocUnsafe(BLOCK_BYTES))
    next = 0
  }
  const slice = block.subarray(next, next + bytes)
  next += bytes
  return slice
}
