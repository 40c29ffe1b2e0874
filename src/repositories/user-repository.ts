// What belongs to one user across sessions: the listing of their live sessions and erasure of all of it.
import type { RedisStore } from '../redis/store.js'
import type { SessionRepository } from './session-repository.js'
import type { Session, ListSessionsQuery } from '../../schemas/session.js'
import type { Access } from '../domain/access.js'
import { encodeCursor, decodeCursor, isTimeIdPosition, type TimeIdPosition } from '../domain/cursor.js'
import { AppError } from '../errors.js'

/** Index entries are (created_at ms, session id). */
type Position = TimeIdPosition

/** At most this many index entries are examined per page (filters can skip many). */
const MAX_SCANNED_PER_PAGE = 1000
const ERASE_ROUNDS = 5
const FINALIZED_SCAN_BATCH = 500

export interface SessionPage { sessions: Session[], next_cursor: string | null }

export class UserRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly sessions: SessionRepository
  ) {}

  /** The user's live sessions, newest first, filtered by state and kind. Entries of expired sessions are pruned. */
  async listSessions (userId: string, access: Access, query: ListSessionsQuery): Promise<SessionPage> {
    const indexKey = this.store.keys.userSessions(userId)
    await this.sessions.indexForUser(userId, '', 0, 0) // prune entries past their deadline
    let position: Position | null = query.cursor === undefined ? null : decodeCursor(query.cursor, isTimeIdPosition)
    const page: Session[] = []
    let scanned = 0
    while (page.length < query.limit && scanned < MAX_SCANNED_PER_PAGE) {
      const batch = await this.entriesAfter(indexKey, position, query.limit - page.length)
      if (batch.length === 0) return { sessions: page, next_cursor: null }
      const loaded = await Promise.all(batch.map(async ([, id]) => await this.sessions.get(id, access, false).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'session_not_found') return null
        throw err
      })))
      const gone: string[] = []
      for (let i = 0; i < batch.length && page.length < query.limit; i++) {
        scanned++
        position = batch[i]!
        const session = loaded[i]
        if (session === null || session === undefined) gone.push(position[1])
        else if ((query.state ?? session.state) === session.state && (query.kind ?? session.kind) === session.kind) page.push(session)
      }
      await this.sessions.unindexForUser(userId, gone)
    }
    const more = position !== null && (await this.entriesAfter(indexKey, position, 1)).length > 0
    return { sessions: page, next_cursor: more ? encodeCursor(position) : null }
  }

  /** Up to n index entries after `position` in listing order (newest first; equal scores in reverse id order). */
  private async entriesAfter (indexKey: string, position: Position | null, n: number): Promise<Position[]> {
    const fetch = n + 16
    for (let offset = 0; ; offset += fetch) {
      const flat = await this.store.call('listUserSessions', async (c) =>
        await c.zrevrangebyscore(indexKey, position === null ? '+inf' : String(position[0]), '-inf', 'WITHSCORES', 'LIMIT', offset, fetch))
      const entries: Position[] = []
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const entry: Position = [Number(flat[i + 1]), flat[i]!]
        const covered = position !== null && entry[0] === position[0] && entry[1] >= position[1]
        if (!covered) entries.push(entry)
      }
      if (entries.length > 0 || flat.length < fetch * 2) return entries.slice(0, n)
    }
  }

  /** Right to erasure: every session of the user with everything under it, and every user-scoped key. */
  async erase (userId: string, access: Access): Promise<number> {
    const keys = this.store.keys
    let deleted = 0
    const erased = new Set<string>()
    for (let round = 0; round < ERASE_ROUNDS; round++) {
      const ids = await this.store.call('eraseUser', async (c) => await c.zrange(keys.userSessions(userId), '0', '-1'))
      if (ids.length === 0) break
      for (const id of ids) erased.add(id)
      const results = await Promise.all(ids.map(async (id) => await this.sessions.delete(id, access).then(() => 1, (err: unknown) => {
        if (err instanceof AppError && err.code === 'session_not_found') return 0
        throw err
      })))
      deleted += results.reduce<number>((a, b) => a + b, 0)
      await this.sessions.unindexForUser(userId, ids)
    }
    await this.store.call('eraseUser', async (c) => {
      const records = await c.smembers(keys.userIdempotency(userId))
      await Promise.all(records.map(async (key) => await c.del(key)))
      await c.del(keys.userSessions(userId), keys.userSessionDeadlines(userId), keys.userProgress(userId), keys.userProgressDocs(userId), keys.userIdempotency(userId))
    })
    await this.purgeFinalizedEntries(erased)
    return deleted
  }

  /** Finalized results of erased sessions also leave the (capped) stream downstream consumers read. */
  private async purgeFinalizedEntries (sessionIds: Set<string>): Promise<void> {
    if (sessionIds.size === 0) return
    const stream = this.store.keys.finalizedStream()
    await this.store.call('eraseUser', async (c) => {
      let start = '-'
      for (;;) {
        const entries = await c.xrange(stream, start, '+', 'COUNT', FINALIZED_SCAN_BATCH)
        const doomed = entries.filter(([, fields]) => sessionIds.has(fields[fields.indexOf('session_id') + 1] ?? '')).map(([id]) => id)
        if (doomed.length > 0) await c.xdel(stream, ...doomed)
        if (entries.length < FINALIZED_SCAN_BATCH) break
        start = `(${entries[entries.length - 1]![0]}`
      }
    })
  }
}
