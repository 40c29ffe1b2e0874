// Live sessions by kind and by state (contract §9 stats, the sessiond_sessions_live gauge), without a
// scan: the session scripts keep counters per Cluster slot (keys.liveCounts(slot), fields k:<kind> and
// s:<state>; lua/includes/session.lua count_live), and this sums them. Where Redis is one server one
// script reads 1024 slots at a time; on a Cluster one pipeline per master reads the slots it serves.
// A sum is reused for maxAgeMs, and one read at a time serves every caller that asks meanwhile.
import { Cluster } from 'ioredis'
import type { RedisStore } from '../redis/store.js'
import { SESSION_KINDS, SESSION_STATES } from '../../schemas/session.js'
import { withDeadline } from '../deadline.js'

export interface LiveTotals {
  byKind: Record<string, number>
  byState: Record<string, number>
  total: number
  /** When the counters were read (ms). */
  atMs: number
}

const SLOTS_PER_CALL = 1024
/** Slots read per pipeline on a Cluster: short pipelines, so that no reply waits behind thousands (REDIS_COMMAND_TIMEOUT_MS). */
const SLOTS_PER_PIPELINE = 256

export class LiveCounts {
  private cached: LiveTotals | undefined
  private reading: Promise<LiveTotals> | undefined

  constructor (
    private readonly store: RedisStore,
    private readonly maxAgeMs = 5000
  ) {}

  /** The sum, at most maxAgeMs old. */
  async get (nowMs: number = Date.now()): Promise<LiveTotals> {
    if (this.cached !== undefined && nowMs - this.cached.atMs < this.maxAgeMs) return this.cached
    return await this.refresh()
  }

  /**
   * A fresh sum when one comes within `waitMs`, else the last one (the read goes on in the background):
   * for metric scrapes, which must answer quickly whatever Redis does.
   */
  async latest (waitMs = 250): Promise<LiveTotals> {
    const cached = this.cached
    if (cached === undefined) return await this.refresh()
    if (Date.now() - cached.atMs < this.maxAgeMs) return cached
    const reading = this.refresh()
    reading.catch(() => {})
    return await withDeadline(waitMs, reading, 'live counts').catch(() => cached)
  }

  private async refresh (): Promise<LiveTotals> {
    this.reading ??= this.read().then((totals) => { this.cached = totals; return totals }).finally(() => { this.reading = undefined })
    return await this.reading
  }

  private async read (): Promise<LiveTotals> {
    const atMs = Date.now()
    const fields = this.store.client instanceof Cluster ? await this.readCluster(this.store.client) : await this.readServer()
    const byKind = Object.fromEntries(SESSION_KINDS.map((kind) => [kind, Math.max(0, fields[`k:${kind}`] ?? 0)]))
    const byState = Object.fromEntries(SESSION_STATES.map((state) => [state, Math.max(0, fields[`s:${state}`] ?? 0)]))
    const total = Object.values(byKind).reduce((a, b) => a + b, 0)
    return { byKind, byState, total, atMs }
  }

  private async readServer (): Promise<Record<string, number>> {
    const totals: Record<string, number> = {}
    const { slots } = this.store.keys
    for (let first = 0; first < slots; first += SLOTS_PER_CALL) {
      const batch = Array.from({ length: Math.min(SLOTS_PER_CALL, slots - first) }, (_, i) => first + i)
      add(totals, await this.store.scripts.sumLiveCounts(batch))
    }
    return totals
  }

  /**
   * Pipelines of HGETALLs, each to the master that serves its slots, one master's after the other's
   * in parallel (a slot that moved meanwhile is read alone).
   */
  private async readCluster (cluster: Cluster): Promise<Record<string, number>> {
    const { keys } = this.store
    const byNode = new Map<string, number[]>()
    for (let slot = 0; slot < keys.slots; slot++) {
      const node = cluster.slots[slot]?.[0]
      if (node === undefined) continue // not served: the cluster state says so
      const slots = byNode.get(node)
      if (slots === undefined) byNode.set(node, [slot])
      else slots.push(slot)
    }
    const totals: Record<string, number> = {}
    await Promise.all([...byNode.values()].map(async (served) => {
      for (let first = 0; first < served.length; first += SLOTS_PER_PIPELINE) {
        const slots = served.slice(first, first + SLOTS_PER_PIPELINE)
        const replies = await this.store.call('sumLiveCounts', async (c) =>
          await (c as Cluster).pipeline(slots.map((slot) => ['hgetall', keys.liveCounts(slot)])).exec()) ?? []
        await Promise.all(replies.map(async ([err, value], i) => {
          const hash = err === null ? value as Record<string, string> : await this.store.call('sumLiveCounts', async (c) => await c.hgetall(keys.liveCounts(slots[i]!)))
          add(totals, Object.fromEntries(Object.entries(hash).map(([field, count]) => [field, Number(count)])))
        }))
      }
    }))
    return totals
  }
}

function add (totals: Record<string, number>, more: Record<string, number>): void {
  for (const [field, count] of Object.entries(more)) totals[field] = (totals[field] ?? 0) + count
}
