// `npx sessiond rotate-keys` (contract §13): seals every stored value under the first key of
// ENCRYPTION_KEYS — values under older keys, and plaintext written before encryption was on — so that
// an old key can then be removed. Every data node is walked by SCAN (every master of a Cluster). Each
// session is read atomically and rewritten by one script only if its version is unchanged (a session
// changed meanwhile is read again: a concurrent write is never lost); values outside sessions are
// compare-and-set one by one. Values already under the first key are skipped, so the command is safe to
// interrupt and to run again.
import type { RedisStore } from '../redis/store.js'
import { scanKeys } from '../redis/scan.js'
import { StaleWriteError } from '../redis/script-errors.js'
import type { Sealer } from '../domain/sealer.js'
import { rekeyDocument, rekeyValue, sessionRewrite } from '../domain/rekey.js'
import { SEALED_SNAPSHOT_MEMBERS } from '../domain/sealed-content.js'

export interface RotateReport {
  /** The key every value is now sealed under. */
  key_id: string
  sessions: { examined: number, rewritten: number, current: number, gone: number }
  /** Values sealed anew: session content, snapshots, create responses, finalized stream entries. */
  values: number
  /** Sessions, snapshots or records that changed between their read and their rewrite, and were read again. */
  retries: number
}

export interface RotateOptions {
  concurrency?: number
  onProgress?: (report: RotateReport) => void
  /** Called between the read of a session and its rewrite (tests: a write that lands in between). */
  afterRead?: (sessionId: string) => Promise<void>
}

const ATTEMPTS = 10
const STREAM_BATCH = 500

export class KeyRotator {
  constructor (
    private readonly store: RedisStore,
    private readonly sealer: Sealer
  ) {}

  /** Rewrites one session: 'rewritten', 'current' (nothing to do) or 'gone'. */
  private async session (id: string, report: RotateReport, options: RotateOptions): Promise<'rewritten' | 'current' | 'gone'> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.store.scripts.exportSession(id)
      if (read === null) return 'gone'
      const { rewrite, values } = sessionRewrite(this.sealer, read.backup)
      if (values === 0) return 'current'
      await options.afterRead?.(id)
      try {
        const done = await this.store.scripts.rekeySession(id, { expectedVersion: read.backup.session.version!, rewrite })
        if (done) report.values += values
        return done ? 'rewritten' : 'gone'
      } catch (err) {
        if (!(err instanceof StaleWriteError) || attempt >= ATTEMPTS) throw err
        report.retries++
      }
    }
  }

  /** One hash field, compare-and-set against what was read (read again when it changed meanwhile). */
  private async field (key: string, field: string, rekey: (stored: string) => string | null, report: RotateReport): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const stored = await this.store.call('rotateRead', async (c) => await c.hget(key, field))
      if (stored === null) return
      const value = rekey(stored)
      if (value === null) return
      if (await this.store.scripts.rekeyField(key, { field, was: stored, value })) {
        report.values++
        return
      }
      report.retries++
    }
  }

  private async sessions (report: RotateReport, options: RotateOptions): Promise<void> {
    const { keys } = this.store
    const width = options.concurrency ?? 16
    for await (const batch of scanKeys(this.store, keys.sessionHashPattern())) {
      const ids = batch.map((key) => keys.sessionIdOf(key)).filter((id): id is string => id !== null)
      for (let i = 0; i < ids.length; i += width) {
        const outcomes = await Promise.all(ids.slice(i, i + width).map(async (id) => await this.session(id, report, options)))
        for (const outcome of outcomes) {
          report.sessions.examined++
          report.sessions[outcome]++
        }
        options.onProgress?.(structuredClone(report))
      }
    }
  }

  /** Progress snapshots: bound to their user id, which each document carries in plaintext. */
  private async snapshots (report: RotateReport): Promise<void> {
    for await (const batch of scanKeys(this.store, this.store.keys.userProgressDocsPattern())) {
      for (const key of batch) {
        const docs = await this.store.call('rotateRead', async (c) => await c.hgetall(key))
        for (const field of Object.keys(docs)) {
          await this.field(key, field, (doc) => rekeyDocument(this.sealer, doc, SEALED_SNAPSHOT_MEMBERS, (JSON.parse(doc) as { user_id: string }).user_id), report)
        }
      }
    }
  }

  /** Stored responses of creates (global Idempotency-Key records): bound to the id of what was created. */
  private async createResponses (report: RotateReport): Promise<void> {
    for await (const batch of scanKeys(this.store, this.store.keys.idempotencyPattern())) {
      for (const key of batch) {
        const resourceId = await this.store.call('rotateRead', async (c) => await c.hget(key, 'resource_id'))
        if (resourceId !== null) await this.field(key, 'response', (response) => rekeyValue(this.sealer, response, resourceId), report)
      }
    }
  }

  /** The finalized stream: an entry is appended again sealed anew (entries cannot change), so the walk meets rewritten ones at the end and skips them. */
  private async finalizedStream (report: RotateReport): Promise<void> {
    const stream = this.store.keys.finalizedStream()
    let start = '-'
    for (;;) {
      const entries = await this.store.call('rotateRead', async (c) => await c.xrange(stream, start, '+', 'COUNT', STREAM_BATCH))
      for (const [entryId, flat] of entries) {
        const result = flat[flat.indexOf('result') + 1]
        const sessionId = flat[flat.indexOf('session_id') + 1]
        if (result === undefined || sessionId === undefined) continue
        const value = rekeyValue(this.sealer, result, sessionId)
        if (value !== null && await this.store.scripts.rekeyFinalized({ entryId, was: result, value })) report.values++
      }
      if (entries.length < STREAM_BATCH) return
      start = `(${entries[entries.length - 1]![0]}`
    }
  }

  async run (options: RotateOptions = {}): Promise<RotateReport> {
    const report: RotateReport = { key_id: this.sealer.currentKeyId, sessions: { examined: 0, rewritten: 0, current: 0, gone: 0 }, values: 0, retries: 0 }
    await this.sessions(report, options)
    await this.snapshots(report)
    await this.createResponses(report)
    await this.finalizedStream(report)
    options.onProgress?.(structuredClone(report))
    return report
  }
}
