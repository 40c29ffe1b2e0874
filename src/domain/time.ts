/** Milliseconds since the epoch (as stored in Redis) → RFC 3339 UTC, or null. */
export function isoFromMs (ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null
  return new Date(ms).toISOString()
}

export function utcDate (ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
