// Idempotency-Key records of requests outside any session (creating a session, a progress snapshot).
// A key reserves a resource id before any work is done; the work is idempotent by that id, so a retry
// after a timeout — even one whose first attempt was applied later — redoes the work with the same id
// instead of creating a duplicate. (Requests under a session keep their records in the session:
// lua/includes/idempotency.lua.)
import type { RedisStore } from '../redis/store.js'
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from '../domain/idempotency.js'
import { ANY_OWNER, type Access } from '../domain/access.js'
import { openValue, sealValue, type MaybeSealer } from '../domain/sealed-content.js'

export interface StoredResponse {
  status: number
  /** The body, serialized by the route's response schema; or, instead: */
  body?: unknown
  /** the body as the JSON text that serializer would write (a route that writes it itself, 0726). */
  bodyText?: string
  headers: Record<string, string>
  /** The user whose data the body carries: the record is erased with that user. */
  userId?: string
  /** When what the work made may be gone (a session's expiry, ms): the record is not kept past it. */
  keepUntilMs?: number
}

export type Reservation =
  | { replay: false, resourceId: string }
  | { replay: true, resourceId: string, response: StoredResponse }

/**
 * Deletes the global Idempotency-Key record a session's create answers from (its stored response carries
 * the session's content), when the session is deleted or expires (docs/decisions/0406). '' = none.
 */
export async function forgetCreateRecord (store: RedisStore, digest: string, deadline?: number): Promise<void> {
  if (digest === '') return
  const record = store.keys.idempotency(digest)
  await store.call('deleteIdempotencyRecord', async (c) => await c.del(record), deadline)
}

export class IdempotencyStore {
  constructor (private readonly store: RedisStore, private readonly sealer: MaybeSealer = null) {}

  async reserve (claim: IdempotencyClaim, candidateId: string, access: Access = ANY_OWNER): Promise<Reservation> {
    const reserved = await this.store.scriptsFor(access).reserveIdempotency(claim, candidateId)
    if (reserved.state === 'finished') return { replay: true, resourceId: reserved.resourceId, response: JSON.parse(openValue(this.sealer, reserved.response, reserved.resourceId)) as StoredResponse }
    return { replay: false, resourceId: reserved.resourceId }
  }

  /** Stores the response of the work on `resourceId` (the id reserve answered: the sealed response is bound to it). */
  async complete (claim: IdempotencyClaim, resourceId: string, response: StoredResponse, access: Access = ANY_OWNER): Promise<void> {
    if (response.userId !== undefined) {
      const userRecords = this.store.keys.userIdempotency(response.userId)
      const recordKey = this.store.keys.idempotency(claim.digest)
      await this.store.call('linkIdempotencyToUser', async (c) => {
        // Sent together, in order, on one connection: one round trip, and the set exists before PEXPIRE.
        await Promise.all([c.sadd(userRecords, recordKey), c.pexpire(userRecords, IDEMPOTENCY_TTL_MS)])
      }, access.deadline)
    }
    await this.store.scriptsFor(access).completeIdempotency(claim, sealValue(this.sealer, JSON.stringify(response), resourceId), response.keepUntilMs)
  }
}
