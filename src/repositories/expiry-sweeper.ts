// Expiry you can see, without keyspace notifications (contract §8, docs/decisions/0712). Every session
// is filed in its slot's expiry index by the script that sets its expiry. Every instance sweeps the
// indexes, with jitter: a session found due is claimed by a script in its own slot, which removes it
// and announces session.expired — one claim per session answers "expired", whichever instance and
// however many sweep. The sweeper then drops it from its user's index and counts it.
import type { RedisStore } from '../redis/store.js'
import type { SlotDue } from '../redis/scripts.js'
import type { UserIndex } from './user-index.js'
import { forgetCreateRecord } from './idempotency-store.js'

export interface SweeperOptions {
  /** Time between two sweeps of one instance (each waits this ± 25 %). */
  intervalMs: number
  /**
   * No new session can be due sooner than this after it was filed (the shortest TTL or retention):
   * on a Cluster a slot found empty or not yet due is looked at again within this.
   */
  horizonMs: number
  onExpired?: (session: { kind: string, state: string }) => void
  /** After each sweep: how late the latest claim came after its session's expires_at. */
  onSwept?: (report: SweepReport) => void
  onError?: (err: Error) => void
}

export interface SweepReport { expired: number, lagMs: number, tookMs: number }

/** Indexes read per script call where Redis is one server. */
const SLOTS_PER_CALL = 1024
/** Ids taken per index per sweep (the rest wait for the next sweep). */
const DUE_PER_SLOT = 200
/** Claims or index reads in flight at once. */
const CONCURRENCY = 32

async function inParallel<T> (items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  /** On a Cluster: when each slot is worth reading again (ms). */
  private readonly nextLook: Float64Array

  constructor (
    private readonly store: RedisStore,
    private readonly userIndex: UserIndex,
    private readonly options: SweeperOptions
  ) {
    this.nextLook = new Float64Array(store.keys.slots)
  }

  start (): void {
    this.stopped = false
    this.schedule()
  }

  private schedule (): void {
    if (this.stopped) return
    const delay = this.options.intervalMs * (0.75 + Math.random() / 2)
    this.timer = setTimeout(() => {
      this.running = this.sweep().then((report) => this.options.onSwept?.(report), (err: Error) => this.options.onError?.(err))
        .finally(() => { this.running = undefined; this.schedule() })
    }, delay).unref()
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** One sweep of every slot; claims what is due. */
  async sweep (nowMs: number = Date.now()): Promise<SweepReport> {
    const started = Date.now()
    const due: Array<[id: string, dueAtMs: number]> = []
    const slots = this.store.keys.slots
    if (this.store.isCluster) {
      const look: number[] = []
      for (let slot = 0; slot < slots; slot++) if (this.nextLook[slot]! <= nowMs) look.push(slot)
      await inParallel(look, CONCURRENCY, async (slot) => {
        const [found] = await this.store.scripts.dueExpiries([slot], { nowMs, limit: DUE_PER_SLOT })
        this.collect(slot, found!, nowMs, due)
      })
    } else {
      for (let first = 0; first < slots; first += SLOTS_PER_CALL) {
        const batch = Array.from({ length: Math.min(SLOTS_PER_CALL, slots - first) }, (_, i) => first + i)
        const found = await this.store.scripts.dueExpiries(batch, { nowMs, limit: DUE_PER_SLOT })
        found.forEach((slotDue, i) => this.collect(batch[i]!, slotDue, nowMs, due))
      }
    }
    let expired = 0
    let lagMs = 0
    await inParallel(due, CONCURRENCY, async ([id, dueAtMs]) => {
      const claim = await this.store.scripts.expireSession(id)
      if (claim.outcome !== 'expired') return
      expired++
      lagMs = Math.max(lagMs, Date.now() - dueAtMs)
      await Promise.all([this.userIndex.remove(claim.userId, [id]), forgetCreateRecord(this.store, claim.idempotencyDigest)])
      this.options.onExpired?.({ kind: claim.kind, state: claim.state })
    })
    return { expired, lagMs, tookMs: Date.now() - started }
  }

  private collect (slot: number, found: SlotDue, nowMs: number, into: Array<[string, number]>): void {
    // Due entries are claimed now; otherwise look again at the earliest entry, or within the horizon.
    const earliest = found.earliestMs ?? Number.POSITIVE_INFINITY
    this.nextLook[slot] = found.due.length > 0 ? nowMs : Math.min(earliest, nowMs + this.options.horizonMs)
    into.push(...found.due)
  }
}
