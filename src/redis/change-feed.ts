// The one change channel (contract §8, docs/decisions/0713): every change a script commits is announced
// on its session's channel (lua/includes/session.lua `announce`). One subscriber connection per instance
// (on a Cluster one per master, sharded Pub/Sub) carries the announcements of every session some local
// listener cares about — event streams and the read cache are two such listeners. A session is
// subscribed while it has at least one listener.
import { Cluster, type Redis } from 'ioredis'
import type { RedisClient } from './client.js'
import type { Keys } from './keys.js'
import { decodeAnnouncement, type SessionEvent } from '../domain/events.js'

export interface ChangeListener {
  /** The events of one change, in order (all with the same version). */
  onEvents: (events: SessionEvent[]) => void
  /** The subscription was interrupted: announcements may have been missed since `onEvents` last ran. */
  onGap: () => void
}

export interface ChangeFeedOptions {
  onError?: (err: Error) => void
}

type Subscriber = Redis | Cluster

export class ChangeFeed {
  private readonly listeners = new Map<string, Set<ChangeListener>>()
  private readonly sessionOf = new Map<string, string>()
  private subscriber: Subscriber | undefined
  private connecting: Promise<void> | undefined
  private readonly sharded: boolean
  private interrupted = false
  private closed = false

  constructor (
    private readonly client: RedisClient,
    private readonly keys: Keys,
    private readonly options: ChangeFeedOptions = {}
  ) {
    this.sharded = client instanceof Cluster
  }

  /** Sessions with at least one listener. */
  get size (): number {
    return this.listeners.size
  }

  /** True while announcements arrive: the subscriber is connected and nothing was missed since. */
  get live (): boolean {
    return this.subscriber !== undefined && this.subscriber.status === 'ready' && !this.interrupted
  }

  private connect (): Subscriber {
    if (this.subscriber !== undefined) return this.subscriber
    const subscriber: Subscriber = this.client instanceof Cluster
      ? this.client.duplicate(undefined, { shardedSubscribers: true, lazyConnect: true })
      : this.client.duplicate({ lazyConnect: true })
    const onMessage = (channel: string, message: string): void => this.deliver(channel, message)
    subscriber.on(this.sharded ? 'smessage' : 'message', onMessage)
    subscriber.on('error', (err: Error) => this.options.onError?.(err))
    // A dropped connection may have missed announcements: tell every listener once it is back.
    subscriber.on('close', () => { this.interrupted = true })
    subscriber.on('ready', () => {
      if (!this.interrupted) return
      this.interrupted = false
      for (const set of this.listeners.values()) for (const listener of set) listener.onGap()
    })
    this.subscriber = subscriber
    return subscriber
  }

  private deliver (channel: string, message: string): void {
    const sessionId = this.sessionOf.get(channel)
    if (sessionId === undefined) return
    const set = this.listeners.get(sessionId)
    if (set === undefined || set.size === 0) return
    const events = decodeAnnouncement(sessionId, message)
    for (const listener of [...set]) listener.onEvents(events)
  }

  /**
   * Adds a listener to a session's announcements; resolves once the subscription is in place, so that
   * anything committed afterwards reaches the listener. Returns the function that removes it.
   */
  async listen (sessionId: string, listener: ChangeListener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the change feed is closed')
    let set = this.listeners.get(sessionId)
    const first = set === undefined
    if (set === undefined) {
      set = new Set()
      this.listeners.set(sessionId, set)
    }
    set.add(listener)
    if (first) {
      const channel = this.keys.changes(sessionId)
      this.sessionOf.set(channel, sessionId)
      const subscriber = this.connect()
      try {
        // Every first listener waits for the one connection attempt (commands are not queued offline).
        if (subscriber.status === 'wait') this.connecting = subscriber.connect().finally(() => { this.connecting = undefined })
        await this.connecting
        await (this.sharded ? (subscriber as Cluster).ssubscribe(channel) : subscriber.subscribe(channel))
      } catch (err) {
        set.delete(listener)
        if (set.size === 0) this.forget(sessionId)
        throw err
      }
    }
    return async () => await this.unlisten(sessionId, listener)
  }

  private forget (sessionId: string): string {
    const channel = this.keys.changes(sessionId)
    this.listeners.delete(sessionId)
    this.sessionOf.delete(channel)
    return channel
  }

  private async unlisten (sessionId: string, listener: ChangeListener): Promise<void> {
    const set = this.listeners.get(sessionId)
    if (set === undefined || !set.delete(listener) || set.size > 0) return
    const channel = this.forget(sessionId)
    const subscriber = this.subscriber
    if (subscriber === undefined || subscriber.status !== 'ready') return
    await (this.sharded ? (subscriber as Cluster).sunsubscribe(channel) : subscriber.unsubscribe(channel)).catch(() => {})
  }

  async close (): Promise<void> {
    this.closed = true
    this.listeners.clear()
    this.sessionOf.clear()
    const subscriber = this.subscriber
    this.subscriber = undefined
    if (subscriber !== undefined) await subscriber.quit().catch(() => subscriber.disconnect())
  }
}
