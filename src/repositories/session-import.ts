// The restore (contract §9 import): reads a backup line by line (src/ndjson-lines.ts) and writes each
// session atomically with one script, when no live session has its id or the stored one is older, so a
// second import of the same file changes nothing. Its user index entry is filed first (an entry whose
// session never got written is pruned when listed, never the reverse). A line that does not parse or
// validate is counted as failed and nothing of it is written; the rest goes on.
import type { RedisStore } from '../redis/store.js'
import type { UserIndex } from './user-index.js'
import type { ImportOutcome } from '../redis/scripts.js'
import type { ImportError, ImportResult } from '../../schemas/admin.js'
import { aliveUntilMs, backupKeyIds, BackupLineError, importAnnouncement, parseBackupLine, type SessionBackup } from '../domain/backup.js'
import type { NdjsonLine } from '../ndjson-lines.js'
import { AppError } from '../errors.js'

/** The import report lists at most this many problems (the counts go on). */
export const MAX_IMPORT_ERRORS = 100

export interface ImportOptions {
  /** Sessions written at once. */
  concurrency?: number
  /** After each session line, with the counts so far. */
  onProgress?: (counts: Pick<ImportResult, 'imported' | 'skipped' | 'failed'>) => void
  /** A line that failed for a reason other than its content (logged by the caller). */
  onWriteError?: (line: number, err: Error) => void
}

export class SessionImporter {
  constructor (
    private readonly store: RedisStore,
    private readonly userIndex: UserIndex,
    /** The key ids of ENCRYPTION_KEYS: a session sealed under any other is refused (it could never be read). */
    private readonly keyIds: ReadonlySet<string> = new Set()
  ) {}

  /** Why a backup of a session cannot be restored here: the key ids it is sealed under that ENCRYPTION_KEYS lacks; null when none. */
  missingKeys (backup: SessionBackup): string | null {
    const missing = [...backupKeyIds(backup)].filter((id) => !this.keyIds.has(id))
    if (missing.length === 0) return null
    const ring = this.keyIds.size === 0 ? 'ENCRYPTION_KEYS is not set' : `ENCRYPTION_KEYS holds ${[...this.keyIds].join(', ')}`
    return `the session is sealed under key id ${missing.join(', ')} and ${ring}: import with the key ring it was exported with`
  }

  /** Writes one session of a backup (see the module comment). */
  async importSession (backup: SessionBackup): Promise<ImportOutcome> {
    const { session } = backup
    if (Number(session.expires_at) > Date.now()) {
      await this.userIndex.add(session.user_id!, session.id!, Number(session.created_at), aliveUntilMs(backup), { keepScore: true })
    }
    return await this.store.scripts.importSession(backup, importAnnouncement(backup))
  }

  /**
   * Imports every line. The first line must be the export header (else validation_failed and nothing is
   * read further). Throws payload_too_large past the size cap and redis_unavailable when Redis stops
   * answering, each saying how far it got: every session written before stays written, and importing
   * again is safe.
   */
  async importLines (lines: AsyncIterable<NdjsonLine>, options: ImportOptions = {}): Promise<ImportResult> {
    const report: ImportResult = { imported: 0, skipped: 0, failed: 0, complete: false, errors: [] }
    const problem = (error: ImportError): void => { if (report.errors.length < MAX_IMPORT_ERRORS) report.errors.push(error) }
    const inFlight = new Set<Promise<void>>()
    let fatal: Error | undefined
    let sessionLines = 0
    let lastLine = 0
    let sawHeader = false
    let end: { line: number, sessions: number } | undefined

    const write = async (number: number, backup: SessionBackup): Promise<void> => {
      try {
        const result = await this.importSession(backup)
        if (result.outcome === 'imported') report.imported++
        else report.skipped++
      } catch (err) {
        if (err instanceof AppError && err.code === 'redis_unavailable') { fatal ??= err; return }
        report.failed++
        problem({ line: number, code: 'write_failed', detail: 'the session could not be written; the server log says why' })
        options.onWriteError?.(number, err as Error)
      }
      options.onProgress?.({ imported: report.imported, skipped: report.skipped, failed: report.failed })
    }

    const stopped = (err: Error, code: 'payload_too_large' | 'redis_unavailable'): AppError => {
      const done = `${report.imported} imported, ${report.skipped} skipped, ${report.failed} failed before it stopped; importing the same file again is safe`
      return new AppError(code, `${err.message}: ${done}`, { imported: report.imported, skipped: report.skipped, failed: report.failed },
        code === 'redis_unavailable' ? { 'retry-after': '1' } : {})
    }

    try {
      for await (const line of lines) {
        if (fatal !== undefined) break
        lastLine = line.number
        if ('tooLong' in line) {
          if (!sawHeader) throw new AppError('validation_failed', 'The first line must be the export header')
          sessionLines++
          report.failed++
          problem({ line: line.number, code: 'line_too_long', detail: `the line has ${line.bytes} bytes, more than a session line may` })
          continue
        }
        let parsed
        try {
          parsed = parseBackupLine(line.text)
        } catch (err) {
          if (!(err instanceof BackupLineError)) throw err
          if (!sawHeader) throw new AppError('validation_failed', `The first line must be the export header: ${err.message}`)
          sessionLines++
          report.failed++
          problem({ line: line.number, code: err.code, detail: err.message })
          continue
        }
        if (!sawHeader) {
          if (parsed.kind !== 'header') throw new AppError('validation_failed', 'The first line must be the export header ({"format":"sessiond-export",…})')
          sawHeader = true
          continue
        }
        if (end !== undefined) {
          report.failed++
          problem({ line: line.number, code: 'invalid_line', detail: 'a line after the end line' })
          continue
        }
        if (parsed.kind === 'header') {
          report.failed++
          problem({ line: line.number, code: 'invalid_line', detail: 'a second header line' })
        } else if (parsed.kind === 'end') {
          end = { line: line.number, sessions: parsed.sessions }
        } else if (parsed.kind === 'error') {
          problem({ line: line.number, code: 'export_failed', detail: `the export that wrote this file failed here: ${parsed.code}: ${parsed.detail}` })
          end = { line: line.number, sessions: -1 }
        } else {
          sessionLines++
          const missing = this.missingKeys(parsed.backup)
          if (missing !== null) {
            report.failed++
            problem({ line: line.number, code: 'missing_encryption_key', detail: missing })
            continue
          }
          const pending: Promise<void> = write(line.number, parsed.backup).finally(() => inFlight.delete(pending))
          inFlight.add(pending)
          if (inFlight.size >= (options.concurrency ?? 16)) await Promise.race(inFlight)
        }
      }
    } catch (err) {
      await Promise.all(inFlight)
      if (err instanceof AppError && err.code === 'payload_too_large') throw stopped(err, 'payload_too_large')
      throw err
    }
    await Promise.all(inFlight)
    if (fatal !== undefined) throw stopped(fatal, 'redis_unavailable')
    if (!sawHeader) throw new AppError('validation_failed', 'The body is empty: an export starts with its header line')

    if (end === undefined) {
      problem({ line: lastLine + 1, code: 'truncated', detail: 'the input ends without its end line: the export it came from did not finish' })
    } else if (end.sessions >= 0 && end.sessions !== sessionLines) {
      problem({ line: end.line, code: 'count_mismatch', detail: `the end line counts ${end.sessions} sessions, the input has ${sessionLines}` })
    } else if (end.sessions >= 0) {
      report.complete = true
    }
    return report
  }
}
