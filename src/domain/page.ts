// The one pagination: every list answers a Page, and every cursor is made and read here, by the
// repositories only. A cursor is an opaque base64url token around [listing, position]: a cursor of one
// listing is refused by another. Pure.
import { AppError } from '../errors.js'

/** One page of a list; nextCursor is null on the last page. */
export interface Page<T> { items: T[], nextCursor: string | null }

const ID = /^[A-Za-z0-9_-]{1,64}$/
const STREAM_ID = /^\d{1,20}-\d{1,20}$/
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

/** A position in a time-ordered listing: (epoch ms, id) of the last item of a page. */
export type TimeIdPosition = [ms: number, id: string]
const isTimeId = (v: unknown): v is TimeIdPosition =>
  Array.isArray(v) && v.length === 2 && isCount(v[0]) && typeof v[1] === 'string' && ID.test(v[1])
const isStreamId = (v: unknown): v is string => typeof v === 'string' && STREAM_ID.test(v)

/** Every listing and the position its cursor holds. */
const positions = {
  /** Steps after this step number. */
  steps: isCount,
  /** Messages after this seq, in the listing's order. */
  messages: isCount,
  /** History entries from this index on. */
  scenes: isCount,
  choices: isCount,
  userSessions: isTimeId,
  progressSnapshots: isTimeId,
  /** Stream entries after this id. */
  audit: isStreamId,
  finalized: isStreamId
} as const

export type Listing = keyof typeof positions
export type PositionOf<L extends Listing> = typeof positions[L] extends (v: unknown) => v is infer P ? P : never

export function encodeCursor<L extends Listing> (listing: L, position: PositionOf<L>): string {
  return Buffer.from(JSON.stringify([listing, position]), 'utf8').toString('base64url')
}

export function malformedCursor (parameter = 'cursor'): AppError {
  return new AppError('validation_failed', `malformed cursor: pass the next_cursor of the previous page unchanged`,
    { errors: [{ path: `querystring/${parameter}`, message: 'malformed cursor' }] })
}

/** The position of a cursor made by encodeCursor for this listing; anything else is 400 "malformed cursor". */
export function decodeCursor<L extends Listing> (listing: L, cursor: string): PositionOf<L> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw malformedCursor()
  }
  const isPosition = positions[listing] as (v: unknown) => boolean
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== listing || !isPosition(value[1])) throw malformedCursor()
  return value[1] as PositionOf<L>
}

/**
 * Where a page starts when a listing also takes a documented alias (`after`: a message id, a stream
 * entry id): a cursor or the alias, never both.
 */
export function refuseBothStarts (cursor: string | undefined, after: string | undefined): void {
  if (cursor !== undefined && after !== undefined) {
    throw new AppError('validation_failed', 'after and cursor both say where the page starts; give one',
      { errors: [{ path: 'querystring/cursor', message: 'not allowed together with after' }] })
  }
}

/** A page of items; `more` says whether items follow the last one (the cursor then names it). */
export function pageOf<T, L extends Listing> (listing: L, items: T[], more: boolean, positionOf: (last: T) => PositionOf<L>): Page<T> {
  const last = items.at(-1)
  return { items, nextCursor: more && last !== undefined ? encodeCursor(listing, positionOf(last)) : null }
}
