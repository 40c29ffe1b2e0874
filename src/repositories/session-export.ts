// The backup (contract §9 export): every live session with everything under it, as NDJSON lines
// (src/domain/backup.ts). Constant memory on any number of sessions: session hashes are found by SCAN on
// every data node, a few sessions are read at once (each atomically, by one script), and the next batch
// is read only when the consumer has taken the previous one (a Readable pulls from the generator only
// while its buffer has room). A failure midway ends the output with an error line, never silently short.
import { Readable } from 'node:stream'
import type { RedisStore } from '../redis/store.js'
import type { KeySettings } from '../redis/keys.js'
import { scanKeys } from '../redis/scan.js'
import { backupKeyIds, endLine, errorLine, headerLine, sessionLine } from '../domain/backup.js'
import { AppError } from '../errors.js'

export interface ExportOptions {
  /** Session reads in flight at once. */
  concurrency?: number
  /** After each session line, with the number written so far. */
  onProgress?: (sessions: number) => void
  /** A failure that ended the export early (the output ends with its error line). */
  onError?: (err: Error) => void
}

/** Lines are handed on in chunks of about this size (fewer, larger writes to the socket or file). */
const CHUNK_BYTES = 64 * 1024

/** `work` over `items`, at most `width` at once, results in the order of `items`. */
async function * ordered<T, R> (items: AsyncIterable<T>, width: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const window: Array<Promise<R>> = []
  try {
    for await (const item of items) {
      const pending = work(item)
      pending.catch(() => {}) // awaited below, in order; never an unhandled rejection meanwhile
      window.push(pending)
      if (window.length >= width) yield await window.shift()!
    }
    while (window.length > 0) yield await window.shift()!
  } finally {
    window.length = 0
  }
}

export class SessionExporter {
  constructor (
    private readonly store: RedisStore,
    private readonly source: KeySettings,
    /** The key ids of ENCRYPTION_KEYS (none: encryption off); sealed values are exported as stored. */
    private readonly keyIds: readonly string[] = []
  ) {}

  /** Session ids, SCAN batch by SCAN batch, over every data node. */
  private async * sessionIds (): AsyncGenerator<string> {
    const { keys } = this.store
    for await (const batch of scanKeys(this.store, keys.sessionHashPattern())) {
      for (const key of batch) {
        const id = keys.sessionIdOf(key)
        if (id !== null) yield id
      }
    }
  }

  /** The backup, line by line: the header, one line per live session, then the end line (or an error line). */
  async * lines (options: ExportOptions = {}): AsyncGenerator<string> {
    yield headerLine(Date.now(), this.source, this.keyIds)
    let sessions = 0
    const usedKeyIds = new Set<string>()
    try {
      const read = async (id: string) => await this.store.scripts.exportSession(id)
      for await (const found of ordered(this.sessionIds(), options.concurrency ?? 16, read)) {
        if (found === null) continue // expired or deleted since SCAN saw it
        for (const id of backupKeyIds(found.backup)) usedKeyIds.add(id)
        yield sessionLine(found.backup, found.nowMs)
        sessions++
        options.onProgress?.(sessions)
      }
    } catch (err) {
      options.onError?.(err as Error)
      const code = err instanceof AppError ? err.code : 'internal_error'
      const detail = err instanceof AppError ? err.message : 'the export failed; the server log says why'
      yield errorLine(code, `${detail} (after ${sessions} sessions)`)
      return
    }
    yield endLine(sessions, [...usedKeyIds].sort())
  }

  /**
   * The backup as a byte stream with backpressure (for a response body, a file or stdout). Lines are
   * encoded into chunks as they come, so that each line's string dies young (a string kept until its
   * chunk fills would outlive a few scavenges and swell the old generation with garbage).
   */
  stream (options: ExportOptions = {}): Readable {
    const lines = this.lines(options)
    async function * chunks (): AsyncGenerator<Buffer> {
      let chunk = Buffer.allocUnsafe(CHUNK_BYTES)
      let used = 0
      for await (const line of lines) {
        const bytes = Buffer.byteLength(line)
        if (used > 0 && used + bytes > CHUNK_BYTES) {
          yield chunk.subarray(0, used)
          chunk = Buffer.allocUnsafe(CHUNK_BYTES)
          used = 0
        }
        if (bytes > CHUNK_BYTES) yield Buffer.from(line)
        else used += chunk.write(line, used)
      }
      if (used > 0) yield chunk.subarray(0, used)
    }
    return Readable.from(chunks(), { objectMode: false })
  }
}
