// The per-day counts of contract §9 stats (sessions created, finalized, expired and deleted per UTC day),
// kept by the changes themselves: where a change happens it records it here, in memory, at no cost to
// the request; at most every FLUSH_MS the counts go to one hash per day (keys.stats(date)), one script
// call per day. The hashes are global: every instance adds to the same ones.
// What a crash can lose: the counts of one instance's last FLUSH_MS (SIGKILL, OOM kill); a graceful stop
// flushes them. A batch whose reply timed out is kept and sent again, so a count may land twice rather
// than never (docs/decisions/0802).
import type { RedisStore } from '../redis/store.js'
import type { StatsCounter } from '../../schemas/admin.js'
import { utcDate } from '../domain/time.js'

const DAY_MS = 86_400_000
/** A day's hash is kept this long after the day began: the 30 days the stats show, and a margin. */
export const STATS_KEEP_MS = 32 * DAY_MS

export interface StatsRecorderOptions {
  flushMs?: number
  onError?: (err: Error) => void
}

type DayCounts = Partial<Record<StatsCounter, number>>

export class StatsRecorder {
  private pending = new Map<string, DayCounts>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private readonly flushMs: number

  constructor (
    private readonly store: RedisStore,
    private readonly options: StatsRecorderOptions = {}
  ) {
    this.flushMs = options.flushMs ?? 250
  }

  /** Counts one change of the UTC day of `atMs`; it reaches Redis within flushMs. */
  record (counter: StatsCounter, atMs: number = Date.now(), count = 1): void {
    const day = utcDate(atMs)
    const counts = this.pending.get(day) ?? {}
    counts[counter] = (counts[counter] ?? 0) + count
    this.pending.set(day, counts)
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
  }

  /** Writes everything counted so far (waits for a flush already under way first). */
  async flush (): Promise<void> {
    while (this.flushing !== undefined) await this.flushing
    if (this.pending.size === 0) return
    const batch = this.pending
    this.pending = new Map()
    this.flushing = this.write(batch).finally(() => { this.flushing = undefined })
    await this.flushing
  }

  private async write (batch: Map<string, DayCounts>): Promise<void> {
    const days = [...batch]
    const results = await Promise.allSettled(days.map(async ([day, counts]) =>
      await this.store.scripts.addStats(day, { keepUntilMs: Date.parse(`${day}T00:00:00Z`) + STATS_KEEP_MS, counts: counts as Record<string, number> })))
    let failure: Error | undefined
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return
      failure ??= result.reason as Error
      // Keep what failed for the next flush (a day's counts are a few numbers: nothing to cap).
      const [day, counts] = days[i]!
      for (const [counter, count] of Object.entries(counts) as Array<[StatsCounter, number]>) this.merge(day, counter, count)
    })
    if (failure === undefined) return
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush() }, this.flushMs).unref()
    this.options.onError?.(failure)
  }

  private merge (day: string, counter: StatsCounter, count: number): void {
    const counts = this.pending.get(day) ?? {}
    counts[counter] = (counts[counter] ?? 0) + count
    this.pending.set(day, counts)
  }

  /** Flushes what is counted and stops the timer (on shutdown). */
  async close (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.flush()
  }
}
