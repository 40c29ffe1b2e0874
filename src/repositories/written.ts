// What an append under a session answers, for the repositories of scenes, choices and messages.
import type { Appended } from '../redis/scripts.js'

/** What is stored, the session version after the append, and whether this call replayed an earlier one. */
export interface Written<T> { value: T, version: number, replayed: boolean }

export const writtenFrom = <T>(appended: Appended, map: (stored: string) => T): Written<T> =>
  ({ value: map(appended.stored), version: appended.version, replayed: appended.replayed })
