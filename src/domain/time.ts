// Times as the API writes them. Pure.

const DAY_MS = 86_400_000
const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))

/**
 * Milliseconds since the epoch (as stored in Redis) → RFC 3339 UTC (`2026-11-22T10:00:00.000Z`), or
 * null. The same text as Date#toISOString for years 0–9999, computed with integer arithmetic and the
 * date part of each day worked out once (a listing formats five times per session, over a few days:
 * this is several times faster than going through a Date).
 */
export function isoFromMs (ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null
  if (ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString()
  const whole = Math.floor(ms)
  const day = Math.floor(whole / DAY_MS)
  let rest = whole - day * DAY_MS
  const hours = Math.floor(rest / 3_600_000)
  rest -= hours * 3_600_000
  const minutes = Math.floor(rest / 60_000)
  rest -= minutes * 60_000
  const seconds = Math.floor(rest / 1000)
  return dateOfDay(day) + pad2[hours]! + ':' + pad2[minutes]! + ':' + pad2[seconds]! + '.' + pad3[rest - seconds * 1000]! + 'Z'
}

/** `YYYY-MM-DDT` of the days formatted lately (cleared when it holds DAYS_KEPT, so it stays small). */
const dayTexts = new Map<number, string>()
const DAYS_KEPT = 1024

function dateOfDay (days: number): string {
  let text = dayTexts.get(days)
  if (text === undefined) {
    if (dayTexts.size >= DAYS_KEPT) dayTexts.clear()
    text = civilDate(days)
    dayTexts.set(days, text)
  }
  return text
}

/** `YYYY-MM-DDT` of a day since 1970-01-01 (H. Hinnant's days_from_civil, inverted). */
function civilDate (days: number): string {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${String(year).padStart(4, '0')}-${pad2[month]!}-${pad2[day]!}T`
}

export function utcDate (ms: number): string {
  return isoFromMs(ms)!.slice(0, 10)
}
