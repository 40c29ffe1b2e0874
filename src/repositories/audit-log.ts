// The audit trail of changes (contract §9): one Redis Stream per UTC day, kept AUDIT_RETENTION_SECONDS
// after its last entry. Recording never waits for Redis: entries are queued and appended in batches
// (at most every FLUSH_MS, one script call per day), so a change costs no round trip for its audit
// entry. What a crash can lose: the entries of its last FLUSH_MS; close() flushes on shutdown
// (docs/decisions/0702-batched-audit-and-rate-limits.md). End users are stored by pseudonym, so that
// erasing a user unlinks them from the trail (src/repositories/audit-pseudonyms.ts, decision 0406).
import type { RedisStore } from '../redis/store.js'
import type { AuditRow } from '../redis/scripts.js'
import type { AuditEntry } from '../../schemas/audit.js'
import { isoFromMs, utcDate } from '../domain/time.js'
import { decodeCursor, pageOf, type Page } from '../domain/page.js'
import { AuditPseudonyms } from './audit-pseudonyms.js'

export interface AuditRecord {
  /** "service:<key name>", "admin:<key name>" or "user:<sub>". */
  principal: string
  /** Method and route template, e.g. "PATCH /v1/sessions/:id". */
  action: string
  status: number
  sessionId: string | null
  requestId: string
}

export interface AuditLogOptions {
  /** Longest an entry waits in memory before it is appended. */
  flushMs?: number
  /** Entries kept in memory while Redis is unreachable; older ones are dropped (and reported). */
  maxQueued?: number
  onError?: (err: Error, dropped: number) => void
  /** How users are named in the trail (shared with erasure); default: its own. */
  pseudonyms?: AuditPseudonyms
}

type StreamEntry = [id: string, fields: string[]]

function entryFrom ([id, flat]: StreamEntry): AuditEntry {
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
  return {
    at: isoFromMs(Number(fields.at ?? id.split('-')[0]))!,
    principal: fields.principal ?? '',
    action: fields.action ?? '',
    status: Number(fields.status),
    session_id: fields.session_id === undefined || fields.session_id === '' ? null : fields.session_id,
    request_id: fields.request_id ?? ''
  }
}

export class AuditLog {
  private queue: AuditRow[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private readonly flushMs: number
  private readonly maxQueued: number
  readonly pseudonyms: AuditPseudonyms

  constructor (
    private readonly store: RedisStore,
    private readonly retentionSeconds: number,
    private readonly options: AuditLogOptions = {}
  ) {
    this.flushMs = options.flushMs ?? 100
    this.maxQueued = options.maxQueued ?? 100_000
    // A day's trail lives AUDIT_RETENTION_SECONDS after its last entry; a pseudonym one day longer.
    this.pseudonyms = options.pseudonyms ?? new AuditPseudonyms(store, (retentionSeconds + 86_400) * 1000)
  }

  /** Queues an entry; it reaches Redis within flushMs. */
  record (record: AuditRecord, nowMs: number = Date.now()): void {
    this.queue.push({ atMs: nowMs, principal: record.principal, action: record.action, status: record.status, sessionId: record.sessionId ?? '', requestId: record.requestId })
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
  }

  /** Appends everything queued so far (waits for a flush already under way first). */
  async flush (): Promise<void> {
    while (this.flushing !== undefined) await this.flushing
    if (this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    this.flushing = this.append(batch).finally(() => { this.flushing = undefined })
    await this.flushing
  }

  private async append (batch: AuditRow[]): Promise<void> {
    let principals: string[]
    try {
      principals = await this.pseudonyms.pseudonymise(batch.map((row) => row.principal))
    } catch (err) {
      this.keep(batch, err as Error)
      return
    }
    const byDay = new Map<string, { rows: AuditRow[], queued: AuditRow[] }>()
    batch.forEach((row, i) => {
      const day = utcDate(row.atMs)
      const group = byDay.get(day) ?? { rows: [], queued: [] }
      group.rows.push({ ...row, principal: principals[i]! })
      group.queued.push(row)
      byDay.set(day, group)
    })
    const results = await Promise.allSettled([...byDay].map(async ([day, { rows }]) =>
      await this.store.scripts.appendAudit(day, { retentionSeconds: this.retentionSeconds, rows })))
    const failed = [...byDay.values()].filter((_, i) => results[i]!.status === 'rejected').flatMap((group) => group.queued)
    if (failed.length === 0) return
    this.keep(failed, (results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as Error))
  }

  /** Keeps rows that could not be appended for the next flush, oldest first, within the cap. */
  private keep (failed: AuditRow[], reason: Error): void {
    this.queue = [...failed, ...this.queue]
    const dropped = Math.max(0, this.queue.length - this.maxQueued)
    if (dropped > 0) this.queue.splice(0, dropped)
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
    this.options.onError?.(reason, dropped)
  }

  /** Flushes what is queued and stops the timer (on shutdown). */
  async close (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.flush()
  }

  /**
   * One page of a day's trail, oldest first, with users named by their `sub` unless erased. This
   * instance's queued entries are appended first (as far as the request's deadline allows).
   */
  async list (date: string, cursor: string | undefined, limit: number, deadline?: number): Promise<Page<AuditEntry>> {
    await this.store.sequence('flushAudit', async () => await this.flush(), deadline).catch(() => {})
    const key = this.store.keys.audit(date)
    const after = cursor === undefined ? undefined : decodeCursor('audit', cursor)
    const found = await this.store.call('readAudit', async (client) =>
      await client.xrange(key, after === undefined ? '-' : `(${after}`, '+', 'COUNT', limit + 1), deadline) as StreamEntry[]
    const { items, nextCursor } = pageOf('audit', found.slice(0, limit), found.length > limit, (last) => last[0])
    const entries = items.map(entryFrom)
    const principals = await this.pseudonyms.reveal(entries.map((e) => e.principal), deadline)
    return { items: entries.map((e, i) => ({ ...e, principal: principals[i]! })), nextCursor }
  }
}
