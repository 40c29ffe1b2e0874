// Lines of an NDJSON body or file, read with backpressure: the next chunk is read only when the caller
// asks for the next line, so a restore of any size holds one chunk and one line in memory. The whole
// input is capped (IMPORT_MAX_BYTES) and so is one line: a longer line is reported and skipped
// without being held.
import { AppError } from './errors.js'

export type NdjsonLine =
  | { number: number, text: string }
  | { number: number, tooLong: true, bytes: number }

export interface NdjsonOptions {
  /** The whole input may be at most this many bytes: more is payload_too_large, thrown when reached. */
  maxBytes: number
  /** One line may be at most this many bytes. */
  maxLineBytes: number
}

const NEWLINE = 0x0a

/** Non-blank lines with their numbers (from 1); a final line without a newline counts. */
export async function * ndjsonLines (input: AsyncIterable<Buffer | string>, options: NdjsonOptions): AsyncGenerator<NdjsonLine> {
  let total = 0
  let number = 0
  let parts: Buffer[] = []
  let partBytes = 0
  let overflow = 0 // bytes of the current line dropped because it is too long

  function * finish (): Generator<NdjsonLine> {
    number++
    if (overflow > 0) {
      yield { number, tooLong: true, bytes: overflow + partBytes }
    } else {
      const text = Buffer.concat(parts, partBytes).toString('utf8').trim()
      if (text !== '') yield { number, text }
    }
    parts = []
    partBytes = 0
    overflow = 0
  }

  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    total += buffer.length
    if (total > options.maxBytes) {
      throw new AppError('payload_too_large', `The input is larger than ${options.maxBytes} bytes (IMPORT_MAX_BYTES)`)
    }
    let start = 0
    for (let end = buffer.indexOf(NEWLINE); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      take(buffer.subarray(start, end))
      yield * finish()
      start = end + 1
    }
    if (start < buffer.length) take(buffer.subarray(start))
  }
  if (partBytes > 0 || overflow > 0) yield * finish()

  function take (piece: Buffer): void {
    if (overflow > 0 || partBytes + piece.length > options.maxLineBytes) {
      overflow += partBytes + piece.length
      parts = []
      partBytes = 0
      return
    }
    parts.push(piece)
    partBytes += piece.length
  }
}
