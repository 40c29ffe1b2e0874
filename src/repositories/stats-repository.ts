// GET /v1/admin/stats and `npx sessiond stats` (contract §9): live sessions by kind and state (summed
// per-slot counters, src/repositories/live-counts.ts) and the last 30 UTC days of created, finalized,
// expired and deleted (src/repositories/stats-recorder.ts). Never a scan of the sessions.
import type { RedisStore } from '../redis/store.js'
import type { StatsRecorder } from './stats-recorder.js'
import type { LiveCounts, LiveTotals } from './live-counts.js'
import { STATS_COUNTERS, type DayStats, type LiveStats, type Stats } from '../../schemas/admin.js'
import { isoFromMs, utcDate } from '../domain/time.js'

/** How many days the stats show, today included. */
export const STATS_DAYS = 30
const DAY_MS = 86_400_000

const liveStats = (totals: LiveTotals): LiveStats =>
  ({ by_kind: totals.byKind, by_state: totals.byState, total: totals.total, as_of: isoFromMs(totals.atMs)! }) as LiveStats

export class StatsRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly recorder: StatsRecorder,
    private readonly liveCounts: LiveCounts
  ) {}

  /** Live sessions, summed at most a few seconds ago. */
  async live (): Promise<LiveStats> {
    return liveStats(await this.liveCounts.get())
  }

  /** A fresh sum if it comes quickly, else the last one: for metric scrapes. */
  async liveForMetrics (): Promise<LiveStats> {
    return liveStats(await this.liveCounts.latest())
  }

  /** The last STATS_DAYS UTC days, oldest first (this instance's counts not yet written are written first). */
  async days (nowMs: number = Date.now()): Promise<DayStats[]> {
    await this.recorder.flush()
    const dates = Array.from({ length: STATS_DAYS }, (_, i) => utcDate(nowMs - (STATS_DAYS - 1 - i) * DAY_MS))
    return await Promise.all(dates.map(async (date) => {
      const key = this.store.keys.stats(date)
      const stored = await this.store.call('readStats', async (c) => await c.hgetall(key))
      const day = { date } as DayStats
      for (const counter of STATS_COUNTERS) day[counter] = Math.max(0, Number(stored[counter] ?? 0))
      return day
    }))
  }

  async read (nowMs: number = Date.now()): Promise<Stats> {
    const [live, days] = await Promise.all([this.live(), this.days(nowMs)])
    return { live, days }
  }
}
