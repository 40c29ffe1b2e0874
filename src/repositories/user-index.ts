// The per-user index of sessions (one sorted set per user, score created_at): the rules of that key
// (how long an entry keeps a session findable) are stated here; where Redis is one server the create
// script writes it too, with what filing() gives it (docs/decisions/0721). Listing and erasure find a
// user's sessions here; entries of sessions that are gone are removed by listings and by the expiry sweep.
import type { RedisStore } from '../redis/store.js'
import { USER_INDEX_KEEP_MARGIN_MS as KEEP_MARGIN_MS } from '../domain/ttl.js'

export class UserIndex {
  constructor (private readonly store: RedisStore) {}

  /**
   * Files the session under its user until `aliveUntilMs` (its absolute expiry or retention end).
   * `keepScore`: an entry already there keeps its position (a restore over live sessions changes nothing).
   */
  async add (userId: string, sessionId: string, createdAtMs: number, aliveUntilMs: number, options: { keepScore?: boolean, deadline?: number } = {}): Promise<void> {
    await this.store.scripts.until(options.deadline).indexUserSession(userId, { sessionId, createdAtMs, keepUntilMs: aliveUntilMs + KEEP_MARGIN_MS, keepScore: options.keepScore ?? false })
  }

  /**
   * What a create script needs to file a new session here itself, in the create's round trip (0721): it
   * keeps the entry until the session's absolute expiry + keepMarginMs, as add() does.
   */
  filing (userId: string): { key: string, keepMarginMs: number } {
    return { key: this.store.keys.userSessions(userId), keepMarginMs: KEEP_MARGIN_MS }
  }

  async remove (userId: string, sessionIds: readonly string[], deadline?: number): Promise<void> {
    if (sessionIds.length === 0) return
    const key = this.store.keys.userSessions(userId)
    await this.store.call('unindexUserSessions', async (c) => await c.zrem(key, ...sessionIds), deadline)
  }

  /** Up to `count` entries after `position`, newest first (equal created_at: id descending). */
  async entriesAfter (userId: string, position: [number, string] | null, count: number, deadline?: number): Promise<Array<[number, string]>> {
    const key = this.store.keys.userSessions(userId)
    const entries: Array<[number, string]> = []
    for (let offset = 0; entries.length < count; offset += count) {
      const flat = await this.store.call('listUserSessions', async (c) =>
        await c.zrevrangebyscore(key, position === null ? '+inf' : String(position[0]), '-inf', 'WITHSCORES', 'LIMIT', offset, count), deadline)
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const entry: [number, string] = [Number(flat[i + 1]), flat[i]!]
        const covered = position !== null && entry[0] === position[0] && entry[1] >= position[1]
        if (!covered && entries.length < count) entries.push(entry)
      }
      if (flat.length < count * 2) break
    }
    return entries
  }

  /** Every session id in the user's index. */
  async all (userId: string, deadline?: number): Promise<string[]> {
    const key = this.store.keys.userSessions(userId)
    return await this.store.call('eraseUser', async (c) => await c.zrange(key, '0', '-1'), deadline)
  }
}
