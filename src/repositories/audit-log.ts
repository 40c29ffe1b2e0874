// The audit trail of changes (contract §9): one Redis Stream per UTC day, kept AUDIT_RETENTION_SECONDS
// after its last entry. Entries are ordered by their stream id, which is also the page cursor.
import type { RedisStore } from '../redis/store.js'
import { isoFromMs, utcDate } from '../domain/time.js'

export interface AuditRecord {
  /** "service:<key name>", "admin:<key name>" or "user:<sub>". */
  principal: string
  /** Method and route template, e.g. "PATCH /v1/sessions/:id". */
  action: string
  status: number
  sessionId: string | null
  requestId: string
}

export interface AuditEntry {
  at: string
  principal: string
  action: string
  status: number
  session_id: string | null
  request_id: string
}

export interface AuditPage { entries: AuditEntry[], next_cursor: string | null }

type StreamEntry = [id: string, fields: string[]]

function entryFrom ([id, flat]: StreamEntry): AuditEntry {
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
  return {
    at: isoFromMs(Number(id.split('-')[0]))!,
    principal: fields.principal ?? '',
    action: fields.action ?? '',
    status: Number(fields.status),
    session_id: fields.session_id === undefined || fields.session_id === '' ? null : fields.session_id,
    request_id: fields.request_id ?? ''
  }
}

export class AuditLog {
  constructor (
    private readonly store: RedisStore,
    private readonly retentionSeconds: number
  ) {}

  async record (record: AuditRecord, nowMs: number = Date.now()): Promise<void> {
    await this.store.run('appendAudit', [this.store.keys.audit(utcDate(nowMs))], [
      this.retentionSeconds, record.principal, record.action, record.status, record.sessionId ?? '', record.requestId
    ])
  }

  /** One page of a day's trail, oldest first; `cursor` is the last stream id of the previous page. */
  async list (date: string, cursor: string | undefined, limit: number): Promise<AuditPage> {
    const key = this.store.keys.audit(date)
    const start = cursor === undefined ? '-' : `(${cursor}`
    const found = await this.store.call('readAudit', async (client) =>
      await client.xrange(key, start, '+', 'COUNT', limit + 1)) as StreamEntry[]
    const page = found.slice(0, limit)
    return { entries: page.map(entryFrom), next_cursor: found.length > limit ? page[page.length - 1]![0] : null }
  }
}
