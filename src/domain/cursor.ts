// The one pagination cursor: an opaque base64url token around a small JSON position. Pure.
import { AppError } from '../errors.js'

export function encodeCursor (position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')
}

/** Decodes a cursor made by encodeCursor; anything else is 400 validation_failed. */
export function decodeCursor<T> (cursor: string, isPosition: (value: unknown) => value is T): T {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (!isPosition(value)) {
    throw new AppError('validation_failed', 'cursor is malformed', { errors: [{ path: 'querystring/cursor', message: 'is not a cursor this API issued' }] })
  }
  return value
}

/** A position in a time-ordered listing: (epoch ms, id) of the last item of a page. */
export type TimeIdPosition = [ms: number, id: string]

export const isTimeIdPosition = (v: unknown): v is TimeIdPosition =>
  Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && v[0] >= 0 &&
  typeof v[1] === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v[1])
