// Opaque pagination cursors (contract §1): what a list hands out as next_cursor and takes back as
// ?cursor=. The content is the list's own position (base64url so clients do not build or parse it);
// anything that does not decode to a valid position is a 400.
import { AppError } from '../errors.js'

export function encodeCursor (position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url')
}

/** The position in `cursor`, or undefined without one; `parse` returns undefined for a malformed position. */
export function decodeCursor<T> (cursor: string | undefined, parse: (position: string) => T | undefined): T | undefined {
  if (cursor === undefined) return undefined
  const position = /^[A-Za-z0-9_-]+$/.test(cursor) ? parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined
  if (position === undefined) throw invalidCursor()
  return position
}

export const invalidCursor = (): AppError =>
  new AppError('validation_failed', 'cursor is not a cursor this list handed out', { errors: [{ path: 'querystring/cursor', message: 'is malformed' }] })

/** A non-negative integer position written as decimal digits (list indexes). */
export function parseIndex (position: string): number | undefined {
  return /^\d{1,15}$/.test(position) ? Number(position) : undefined
}
