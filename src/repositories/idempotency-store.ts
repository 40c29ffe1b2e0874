// Idempotency-Key records (contract §1). A key reserves a resource id before any work is done; the
// work is idempotent by that id, so a retry after a timeout — even one whose first attempt was applied
// later — redoes the work with the same id instead of creating a duplicate.
import { createHash } from 'node:crypto'
import type { RedisStore } from '../redis/store.js'

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000

export interface StoredResponse {
  status: number
  body: unknown
  headers: Record<string, string>
  /** The user whose data the body carries: the record is erased with that user. */
  userId?: string
}

export type Reservation =
  | { replay: false, resourceId: string }
  | { replay: true, resourceId: string, response: StoredResponse }

/** JSON with object keys sorted, so the same body always has the same fingerprint. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

export interface IdempotencyScope {
  /** Who asked: the same key from another principal is another key. */
  principal: string
  /** The operation: method and concrete path. */
  operation: string
  key: string
}

export class IdempotencyStore {
  constructor (private readonly store: RedisStore) {}

  private recordKey (scope: IdempotencyScope): string {
    return this.store.keys.idempotency(sha256(`${scope.principal}\n${scope.operation}\n${scope.key}`).slice(0, 40))
  }

  async reserve (scope: IdempotencyScope, body: unknown, candidateId: string): Promise<Reservation & { fingerprint: string }> {
    const fingerprint = sha256(canonicalJson(body))
    const reply = await this.store.run('reserveIdempotency', [this.recordKey(scope)], [fingerprint, candidateId, IDEMPOTENCY_TTL_MS])
    const resourceId = String(reply[1])
    if (reply[0] === 1) return { replay: true, resourceId, response: JSON.parse(String(reply[2])) as StoredResponse, fingerprint }
    return { replay: false, resourceId, fingerprint }
  }

  async complete (scope: IdempotencyScope, fingerprint: string, response: StoredResponse): Promise<void> {
    const recordKey = this.recordKey(scope)
    if (response.userId !== undefined) {
      const userRecords = this.store.keys.userIdempotency(response.userId)
      await this.store.call('linkIdempotencyToUser', async (c) => {
        // Sent together, in order, on one connection: one round trip, and the set exists before PEXPIRE.
        await Promise.all([c.sadd(userRecords, recordKey), c.pexpire(userRecords, IDEMPOTENCY_TTL_MS)])
      })
    }
    await this.store.run('completeIdempotency', [recordKey], [fingerprint, JSON.stringify(response)])
  }
}
