// Rate limit per subject (contract §2): RATE_LIMIT_MAX requests per fixed window, shared by every
// instance through Redis — without a round trip on the request path. Each instance counts locally and
// adds its counts to the shared counter in batches (at most every flushMs, one script call per active
// subject), learning the total of every instance in the reply. A request is judged by
// (shared total at the last flush) + (this instance's requests since).
//
// Overshoot bound: the other instances' requests since their last flush are unseen, so across N
// instances a subject can get at most max + (N − 1) × A requests through in a window, where A is what
// one instance admits for it between two flushes (≤ its request rate × (flushMs + one round trip), and
// ≤ max). While Redis is unreachable each instance still enforces the limit on its own traffic.
// (docs/decisions/0702-batched-audit-and-rate-limits.md)
import type { RedisStore } from '../redis/store.js'

export interface WindowCount {
  /** Requests counted in the current window, this one included, as far as this instance knows. */
  count: number
  /** When the current window ends (epoch ms). */
  resetAtMs: number
}

export interface RateLimiterOptions {
  max: number
  windowMs: number
  /** Longest a local count waits before it is added to the shared counter. */
  flushMs?: number
  onError?: (err: Error) => void
  onRecovered?: () => void
}

interface Counter { window: number, shared: number, pending: number, flushing: number }

export class RateLimiter {
  private readonly counters = new Map<string, Counter>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private failing = false
  private readonly flushMs: number

  constructor (
    private readonly store: RedisStore,
    private readonly options: RateLimiterOptions
  ) {
    this.flushMs = options.flushMs ?? 100
  }

  /** Counts one request of `subject` (e.g. "user:<sub>", "service:<name>", "anonymous:<ip>") at `nowMs`. */
  hit (subject: string, nowMs: number): WindowCount {
    const window = Math.floor(nowMs / this.options.windowMs)
    let counter = this.counters.get(subject)
    if (counter === undefined || counter.window !== window) {
      counter = { window, shared: 0, pending: 0, flushing: 0 }
      this.counters.set(subject, counter)
    }
    counter.pending++
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
    return { count: counter.shared + counter.flushing + counter.pending, resetAtMs: (window + 1) * this.options.windowMs }
  }

  /** Adds every local count to the shared counters (one flush at a time). */
  async flush (): Promise<void> {
    while (this.flushing !== undefined) await this.flushing
    this.flushing = this.addPending().finally(() => { this.flushing = undefined })
    await this.flushing
  }

  private async addPending (): Promise<void> {
    const current = Math.floor(Date.now() / this.options.windowMs)
    const batch: Array<[string, Counter, number]> = []
    for (const [subject, counter] of this.counters) {
      if (counter.window < current) { this.counters.delete(subject); continue } // its window is over
      if (counter.pending === 0) continue
      batch.push([subject, counter, counter.pending])
      counter.flushing = counter.pending
      counter.pending = 0
    }
    if (batch.length === 0) return
    const results = await Promise.allSettled(batch.map(async ([subject, counter, add]) =>
      await this.store.scripts.rateLimit(subject, counter.window, { add, windowMs: this.options.windowMs })))
    let error: Error | undefined
    results.forEach((result, i) => {
      const [, counter, add] = batch[i]!
      counter.flushing = 0
      if (result.status === 'fulfilled') counter.shared = Math.max(counter.shared + add, result.value)
      else { counter.pending += add; error = result.reason as Error }
    })
    if (error !== undefined) {
      if (!this.failing) this.options.onError?.(error)
      this.failing = true
      this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
    } else if (this.failing) {
      this.failing = false
      this.options.onRecovered?.()
    }
  }

  /** Flushes what is counted and stops the timer (on shutdown). */
  async close (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.flush().catch(() => {})
  }
}
