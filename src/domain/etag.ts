// ETag and If-Match for session versions: etag "<version>"; if-match accepts "<v>", W/"<v>" or <v>.
import { AppError } from '../errors.js'

export const etagOf = (version: number): string => `"${version}"`

/** The expected version for the Lua scripts: '' when the header is absent. */
export function expectedVersion (ifMatch: string | undefined): string {
  if (ifMatch === undefined) return ''
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch)
  if (match === null) throw new AppError('validation_failed', 'if-match must be a session version such as "3"', { errors: [{ path: 'headers/if-match', message: 'must be a quoted version number' }] })
  return String(Number(match[1]))
}
