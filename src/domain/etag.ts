// ETags and preconditions for session versions (contract §1): etag "<version>"; if-match takes strong
// tags only; if-none-match answers 304 when it names the current version. Pure.
import { AppError } from '../errors.js'

export const etagOf = (version: number): string => `"${version}"`

/** A version no session has: a weak if-match compares unequal to every version (412 with the current one). */
const NEVER = 'weak'

/** The expected version for the Lua scripts: '' when the header is absent. `W/"3"` never matches (§1). */
export function expectedVersion (ifMatch: string | undefined): string {
  if (ifMatch === undefined) return ''
  const match = /^\s*(W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch)
  if (match === null) throw new AppError('validation_failed', 'if-match must be a session version such as "3"', { errors: [{ path: 'headers/if-match', message: 'must be a quoted version number' }] })
  return match[1] === undefined ? String(Number(match[2])) : NEVER
}

/** The versions an if-none-match names (weak comparison: W/"3" is 3), or 'any' for `*`; null when absent. */
export function noneMatchVersions (ifNoneMatch: string | undefined): Set<number> | 'any' | null {
  if (ifNoneMatch === undefined || ifNoneMatch.trim() === '') return null
  if (ifNoneMatch.trim() === '*') return 'any'
  const versions = new Set<number>()
  for (const tag of ifNoneMatch.split(',')) {
    const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(tag)
    if (match !== null) versions.add(Number(match[1]))
  }
  return versions
}

/** True when a response of `version` would tell the client nothing new (answer 304). */
export function notModified (ifNoneMatch: string | undefined, version: number): boolean {
  const versions = noneMatchVersions(ifNoneMatch)
  return versions === 'any' || (versions !== null && versions.has(version))
}

/** The one version a single-tag if-none-match names ('' otherwise): a script can answer "not modified" itself. */
export function singleNoneMatch (ifNoneMatch: string | undefined): string {
  const versions = noneMatchVersions(ifNoneMatch)
  return versions !== null && versions !== 'any' && versions.size === 1 ? String([...versions][0]) : ''
}
