// Result shapes shared by the repositories of things stored under a session or a user.

/** A write under a session: what was stored, the session's version after it, and whether this call
 *  stored it (false: an earlier call with the same id did, and this one changed nothing). */
export interface Written<T> { value: T, version: number, created: boolean }

/** One page of a list; nextCursor is null on the last page. */
export interface Page<T> { items: T[], nextCursor: string | null }

/** The [status, payload, version] reply of a session write script → Written. */
export function writtenFrom<T> (reply: unknown[], map: (raw: string) => T): Written<T> {
  return { value: map(String(reply[1])), version: Number(reply[2]), created: reply[0] === 0 }
}

/** The JSON strings a page script returned (missing documents come back as null and are skipped). */
export function storedItems (list: unknown): string[] {
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []
}
