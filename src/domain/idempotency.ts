// Idempotency-Key (contract §1): how long a key is remembered and how a request is fingerprinted. Pure.
import { createHash } from 'node:crypto'

/** The same key from the same principal within this long replays the first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000

/** What a key is scoped to: the same key from another principal, or for another operation, is another key. */
export interface IdempotencyScope {
  principal: string
  /** Method and concrete path. */
  operation: string
  key: string
}

/** A request with an Idempotency-Key, as repositories receive it. */
export interface IdempotencyClaim {
  /** Digest of the scope: names the record. */
  digest: string
  /** Digest of the request body: the same key with another body is refused. */
  fingerprint: string
}

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

export function idempotencyClaim (scope: IdempotencyScope, body: unknown): IdempotencyClaim {
  return {
    digest: sha256(`${scope.principal}\n${scope.operation}\n${scope.key}`).slice(0, 40),
    fingerprint: sha256(canonicalJson(body)).slice(0, 40)
  }
}
