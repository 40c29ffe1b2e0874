// What belongs to one user across sessions: the listing of their live sessions and erasure of all of it.
import type { RedisStore } from '../redis/store.js'
import type { SessionRepository } from './session-repository.js'
import type { UserIndex } from './user-index.js'
import type { AuditPseudonyms } from './audit-pseudonyms.js'
import type { ListSessionsQuery } from '../../schemas/session.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { SessionRecord } from '../domain/session-record.js'
import { decodeCursor, encodeCursor, type Page, type TimeIdPosition } from '../domain/page.js'
import { AppError } from '../errors.js'
import { openSessionRecord, type MaybeSealer } from '../domain/sealed-content.js'

/** At most this many index entries are examined per page (filters can skip many). */
const MAX_EXAMINED_PER_PAGE = 1000
const ERASE_ROUNDS = 5
const FINALIZED_SCAN_BATCH = 500

interface RecordPage { records: SessionRecord[], more: boolean, position: TimeIdPosition | null }

const notFoundAsNull = (err: unknown): null => {
  if (err instanceof AppError && err.code === 'session_not_found') return null
  throw err
}

export class UserRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly sessions: SessionRepository,
    private readonly userIndex: UserIndex,
    private readonly pseudonyms: AuditPseudonyms,
    private readonly sealer: MaybeSealer = null
  ) {}

  /**
   * The user's live sessions, newest first, filtered by state and kind, as their stored records with
   * sealed content opened (the route writes them as JSON text: src/domain/session-json.ts). Entries of
   * sessions that are gone are pruned.
   */
  async listSessions (userId: string, access: Access, query: ListSessionsQuery): Promise<Page<SessionRecord>> {
    const after = query.cursor === undefined ? null : decodeCursor('userSessions', query.cursor)
    const page = this.store.isCluster
      ? await this.pageAcrossSlots(userId, access, after, query)
      : await this.store.scriptsFor(access).listUserSessions(userId, {
        owner: ownerArg(access), after, limit: query.limit, state: query.state ?? '', kind: query.kind ?? '', budget: MAX_EXAMINED_PER_PAGE
      })
    // The cursor names the last entry examined: a page that a filter left short still moves on.
    const nextCursor = page.more && page.position !== null ? encodeCursor('userSessions', page.position) : null
    return { items: page.records.map((record) => openSessionRecord(this.sealer, record)), nextCursor }
  }

  /**
   * On a Cluster the sessions live in other slots than the index: read the index, then every session it
   * names at once (one round trip each, in parallel), and drop the entries of sessions that are gone.
   */
  private async pageAcrossSlots (userId: string, access: Access, after: TimeIdPosition | null, query: ListSessionsQuery): Promise<RecordPage> {
    const matches: Array<{ record: SessionRecord, position: TimeIdPosition }> = []
    let position = after
    let examined = 0
    let exhausted = false
    while (matches.length <= query.limit && examined < MAX_EXAMINED_PER_PAGE && !exhausted) {
      const want = Math.min(query.limit + 1 - matches.length, MAX_EXAMINED_PER_PAGE - examined)
      const entries = await this.userIndex.entriesAfter(userId, position, want, access.deadline)
      exhausted = entries.length < want
      const records = await Promise.all(entries.map(async ([, id]) =>
        await this.store.scriptsFor(access).readSession(id, { owner: ownerArg(access), touch: false }).catch(notFoundAsNull)))
      const gone: string[] = []
      entries.forEach((entry, i) => {
        const record = records[i]
        examined++
        position = entry
        if (record === null || record === undefined) gone.push(entry[1])
        else if ((query.state ?? record.state) === record.state && (query.kind ?? record.kind) === record.kind) matches.push({ record, position: entry })
      })
      await this.userIndex.remove(userId, gone, access.deadline)
    }
    const page = matches.slice(0, query.limit)
    if (matches.length > query.limit) return { records: page.map((m) => m.record), more: true, position: page.at(-1)!.position }
    return { records: page.map((m) => m.record), more: !exhausted, position }
  }

  /**
   * Right to erasure: every session of the user with everything under it, every user-scoped key, the
   * finalized results of their sessions, and the link between them and their audit pseudonym.
   * Safe to repeat after a partial run (a 503): a session leaves the user's index only once its data and
   * its finalized result are gone, so a retry finds what is left, and the user's own keys go last.
   */
  async erase (userId: string, access: Access): Promise<number> {
    const keys = this.store.keys
    let deleted = 0
    for (let round = 0; round < ERASE_ROUNDS; round++) {
      const ids = await this.userIndex.all(userId, access.deadline)
      if (ids.length === 0) break
      const results = await Promise.all(ids.map(async (id) =>
        await this.sessions.delete(id, access).then(({ finalized }) => finalized ? 'finalized' : 'deleted', (err: unknown) => notFoundAsNull(err) ?? 'gone')))
      deleted += results.filter((r) => r !== 'gone').length
      // A session found gone may have been deleted by an earlier, interrupted erasure after it was finalized.
      await this.purgeFinalizedEntries(new Set(ids.filter((_, i) => results[i] !== 'deleted')), access.deadline)
      await this.userIndex.remove(userId, ids, access.deadline)
    }
    await this.pseudonyms.forget(userId, access.deadline)
    await this.store.sequence('eraseUser', async (c) => {
      const records = await c.smembers(keys.userIdempotency(userId))
      await Promise.all(records.map(async (key) => await c.del(key)))
      await c.del(keys.userSessions(userId), keys.userProgress(userId), keys.userProgressDocs(userId), keys.userIdempotency(userId))
    }, access.deadline)
    return deleted
  }

  /** Finalized results of erased sessions also leave the (capped) stream downstream consumers read. */
  private async purgeFinalizedEntries (sessionIds: Set<string>, deadline?: number): Promise<void> {
    if (sessionIds.size === 0) return
    const stream = this.store.keys.finalizedStream()
    await this.store.sequence('eraseUser', async (c) => {
      let start = '-'
      for (;;) {
        const entries = await c.xrange(stream, start, '+', 'COUNT', FINALIZED_SCAN_BATCH)
        const doomed = entries.filter(([, fields]) => sessionIds.has(fields[fields.indexOf('session_id') + 1] ?? '')).map(([id]) => id)
        if (doomed.length > 0) await c.xdel(stream, ...doomed)
        if (entries.length < FINALIZED_SCAN_BATCH) break
        start = `(${entries[entries.length - 1]![0]}`
      }
    }, deadline)
  }
}
