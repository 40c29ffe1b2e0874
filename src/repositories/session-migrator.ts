// `npx sessiond migrate` (contract §9, §10): rewrites every stored session document older than
// SESSION_SCHEMA_VERSION in its current shape. Reads already upgrade documents on the fly
// (src/domain/migrations.ts), so this is housekeeping that never blocks the service: one session at a
// time, each a compare-and-set on the version and schema_version it was read at (a session that
// changed meanwhile is read again). Safe to interrupt and to run again: a migrated session is skipped.
import type { RedisStore } from '../redis/store.js'
import { scanKeys } from '../redis/scan.js'
import { StaleWriteError } from '../redis/script-errors.js'
import { SESSION_SCHEMA_VERSION, migrateSessionRecord } from '../domain/migrations.js'
import type { SessionRecord } from '../domain/session-record.js'
import { openSessionRecord, sealSessionFields, type MaybeSealer } from '../domain/sealed-content.js'

export interface MigrateReport {
  /** Session documents looked at. */
  examined: number
  /** Rewritten in the current schema by this run. */
  migrated: number
  /** Already current. */
  current: number
  /** Expired or deleted before they could be rewritten. */
  gone: number
}

export interface MigrateOptions {
  concurrency?: number
  onProgress?: (report: MigrateReport) => void
}

const ATTEMPTS = 5

/** The fields to set and to delete that turn `stored` into `migrated`. */
export function migrationDiff (stored: SessionRecord, migrated: SessionRecord): { set: Record<string, string>, remove: string[] } {
  const set: Record<string, string> = {}
  for (const [field, value] of Object.entries(migrated)) if (stored[field] !== value) set[field] = value
  return { set, remove: Object.keys(stored).filter((field) => migrated[field] === undefined) }
}

export class SessionMigrator {
  constructor (private readonly store: RedisStore, private readonly sealer: MaybeSealer = null) {}

  /** Brings one session to the current schema: 'migrated', 'current' or 'gone'. */
  async migrate (id: string): Promise<'migrated' | 'current' | 'gone'> {
    const key = this.store.keys.session(id)
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.call('migrateRead', async (c) => await c.hgetall(key))
      if (stored.version === undefined) return 'gone'
      if (Number(stored.schema_version ?? 1) >= SESSION_SCHEMA_VERSION) return 'current'
      // Compared in plaintext; what is written is sealed like any write (encryption at rest, contract §13).
      const opened = openSessionRecord(this.sealer, stored)
      const { set, remove } = migrationDiff(opened, migrateSessionRecord(opened))
      try {
        const done = await this.store.scripts.migrateSession(id, {
          expectedVersion: stored.version, expectedSchemaVersion: stored.schema_version ?? '', set: sealSessionFields(this.sealer, set, id), remove
        })
        return done ? 'migrated' : 'gone'
      } catch (err) {
        if (!(err instanceof StaleWriteError) || attempt >= ATTEMPTS) throw err
      }
    }
  }

  /** Every session of this system and environment, on every data node. */
  async run (options: MigrateOptions = {}): Promise<MigrateReport> {
    const report: MigrateReport = { examined: 0, migrated: 0, current: 0, gone: 0 }
    const { keys } = this.store
    for await (const batch of scanKeys(this.store, keys.sessionHashPattern())) {
      const ids = batch.map((key) => keys.sessionIdOf(key)).filter((id): id is string => id !== null)
      const width = options.concurrency ?? 16
      for (let i = 0; i < ids.length; i += width) {
        const outcomes = await Promise.all(ids.slice(i, i + width).map(async (id) => await this.migrate(id)))
        for (const outcome of outcomes) {
          report.examined++
          report[outcome]++
        }
        options.onProgress?.({ ...report })
      }
    }
    return report
  }
}
