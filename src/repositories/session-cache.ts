// An in-process read cache of sessions (CACHE_MODE=lru, docs/decisions/0714), kept correct across
// instances by the change channel: a cached session is listened to, and any announced change of it
// (from any instance) drops it. While the subscriber is not connected nothing is served from the cache.
// A hit repeats the owner check, never serves an expired session, and gives way to Redis whenever the
// read would slide the expiry (the slide is a write the cache cannot do).
import type { Session } from '../../schemas/session.js'
import type { Access } from '../domain/access.js'
import { slideLagMs } from '../domain/ttl.js'
import type { ChangeListener } from '../redis/change-feed.js'

/** What the cache needs of the change channel. */
export interface ChangeSource {
  listen: (sessionId: string, listener: ChangeListener) => Promise<() => Promise<void>>
  /** False while announcements may be missed (the subscriber is not connected). */
  readonly live: boolean
}

export interface CacheCounters {
  hit?: () => void
  miss?: () => void
  eviction?: () => void
  invalidation?: () => void
}

export interface CacheLimits {
  /** Sessions kept; the least recently used goes first. */
  maxEntries: number
  /** How long a stored read may be served at most: the bound should an announcement ever be lost. */
  ttlMs: number
}

interface Entry {
  session: Session | undefined
  /** When the read that stored `session` started. */
  readAtMs: number
  /** Bumped by every invalidation: a read that started before one must not be stored. */
  generation: number
  unlisten: Promise<() => Promise<void>>
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>()

  constructor (
    private readonly changes: ChangeSource,
    private readonly limits: CacheLimits,
    private readonly counters: CacheCounters = {}
  ) {}

  get size (): number {
    return this.entries.size
  }

  /** The cached session when it may be served for this read; undefined otherwise. */
  private usable (id: string, access: Access, touch: boolean, nowMs: number): Session | undefined {
    if (!this.changes.live) return undefined
    const entry = this.entries.get(id)
    const session = entry?.session
    if (entry === undefined || session === undefined) return undefined
    if (nowMs - entry.readAtMs >= this.limits.ttlMs) return undefined
    if (access.kind === 'user' && session.user_id !== access.userId) return undefined
    const expiresAt = Date.parse(session.expires_at)
    if (expiresAt <= nowMs) return undefined
    if (touch && session.completed_at === null) {
      const target = Math.min(nowMs + session.ttl_seconds * 1000, Date.parse(session.absolute_expires_at))
      if (target - expiresAt >= slideLagMs(session.ttl_seconds)) return undefined
    }
    // Most recently used last: the oldest entry is the first evicted.
    this.entries.delete(id)
    this.entries.set(id, entry)
    return session
  }

  /** A read through the cache: served from memory when it may be, else `read` from Redis (and cached). */
  async read (id: string, access: Access, touch: boolean, read: () => Promise<Session>): Promise<Session> {
    const cached = this.usable(id, access, touch, Date.now())
    if (cached !== undefined) {
      this.counters.hit?.()
      return cached
    }
    this.counters.miss?.()
    const entry = this.entryFor(id)
    // Listening before reading: a change committed after the read started drops what it read.
    await entry.unlisten.catch(() => undefined)
    const generation = entry.generation
    const readAtMs = Date.now()
    const session = await read()
    if (this.entries.get(id) === entry && entry.generation === generation && this.changes.live) {
      entry.session = session
      entry.readAtMs = readAtMs
    }
    return session
  }

  private entryFor (id: string): Entry {
    const existing = this.entries.get(id)
    if (existing !== undefined) return existing
    const entry: Entry = { session: undefined, readAtMs: 0, generation: 0, unlisten: Promise.resolve(async () => {}) }
    entry.unlisten = this.changes.listen(id, {
      onEvents: () => this.invalidate(id),
      onGap: () => this.invalidateAll()
    })
    // A failed subscription leaves nothing cached for this id (and nothing listening).
    entry.unlisten.catch(() => { if (this.entries.get(id) === entry) this.entries.delete(id) })
    this.entries.set(id, entry)
    while (this.entries.size > this.limits.maxEntries) this.evictOldest()
    return entry
  }

  private evictOldest (): void {
    const [id, entry] = this.entries.entries().next().value!
    this.entries.delete(id)
    this.counters.eviction?.()
    void entry.unlisten.then(async (unlisten) => await unlisten(), () => {})
  }

  /** Drops a session (a change was announced for it). */
  invalidate (id: string): void {
    const entry = this.entries.get(id)
    if (entry === undefined) return
    entry.generation++
    if (entry.session !== undefined) this.counters.invalidation?.()
    entry.session = undefined
  }

  /** Drops everything (announcements may have been missed). */
  invalidateAll (): void {
    for (const id of this.entries.keys()) this.invalidate(id)
  }
}
