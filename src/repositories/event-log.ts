// A session's event log as an event stream reads it (contract §8): what a client missed since the last
// id it saw, or the news that the log no longer reaches that far back.
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { decodeEvent, type SessionEvent } from '../domain/events.js'

export type Missed =
  | { resync: false, version: number, events: SessionEvent[] }
  /** Events after `after` have been trimmed from the log: the client must read the session again. */
  | { resync: true, version: number, events: SessionEvent[] }

export class EventLog {
  constructor (private readonly store: RedisStore) {}

  /** The session's current version (a stream without a last id starts there); session_not_found otherwise. */
  async version (id: string, access: Access): Promise<number> {
    return (await this.store.scripts.readEvents(id, { owner: ownerArg(access), after: null })).version
  }

  /** The logged events after version `after`, oldest first. */
  async after (id: string, access: Access, after: number): Promise<Missed> {
    const read = await this.store.scripts.readEvents(id, { owner: ownerArg(access), after })
    const events = read.events.map((encoded) => decodeEvent(id, encoded))
    // The log holds whole changes from oldestLogged on; anything between `after` and it is gone.
    const resync = read.version > after && (read.oldestLogged === 0 || read.oldestLogged > after + 1)
    return { resync, version: read.version, events }
  }
}
