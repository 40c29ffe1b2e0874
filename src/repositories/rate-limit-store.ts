// Fixed-window request counters shared by every instance through Redis (contract §2).
import { createHash } from 'node:crypto'
import type { RedisStore } from '../redis/store.js'

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number
  /** When the current window ends (epoch ms). */
  resetAtMs: number
}

export class RateLimitStore {
  constructor (
    private readonly store: RedisStore,
    private readonly windowMs: number
  ) {}

  /** Counts one request of `subject` (e.g. "user:<sub>", "service:<name>", "anonymous:<ip>") at `nowMs`. */
  async hit (subject: string, nowMs: number): Promise<WindowCount> {
    const window = Math.floor(nowMs / this.windowMs)
    // Subjects carry user ids and IPs: only a digest of them goes into the key name.
    const digest = createHash('sha256').update(subject).digest('hex').slice(0, 32)
    const reply = await this.store.run('rateLimit', [this.store.keys.rateLimit(digest, window)], [this.windowMs])
    return { count: Number(reply[0]), resetAtMs: (window + 1) * this.windowMs }
  }
}
