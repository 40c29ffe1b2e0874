// CSPRNG bytes for ids, nonces and pseudonyms, cut from one block: one randomFillSync per block instead
// of one randomBytes call per value (docs/decisions/0721). Node's randomUUID pools the same way. Every
// byte is handed out once, as a copy: a caller never holds a view of the block, whose other bytes are
// other callers' ids and nonces.
import { randomFillSync } from 'node:crypto'

const BLOCK_BYTES = 16 * 1024

let block = Buffer.alloc(0)
let next = 0

/** `bytes` fresh random bytes (at most one block's worth), the caller's own: never handed out again. */
export function randomSlice (bytes: number): Buffer {
  if (bytes > BLOCK_BYTES) throw new RangeError(`randomSlice: at most ${BLOCK_BYTES} bytes at once`)
  if (next + bytes > block.length) {
    block = randomFillSync(Buffer.allocUnsafe(BLOCK_BYTES))
    next = 0
  }
  const slice = Buffer.from(block.subarray(next, next + bytes))
  next += bytes
  return slice
}
