// Walking the keyspace without blocking Redis: SCAN on every server that holds data (every master of a
// Cluster, else the one server), batch by batch, for backups and migrations. SCAN's guarantee: a key
// present from the start to the end of the walk is returned at least once, rarely twice (when Redis
// resizes its table meanwhile); callers are idempotent per key.
import { Cluster, type Redis } from 'ioredis'
import type { RedisStore } from './store.js'

/** The servers that hold the data: every master of a Cluster (as it knows them now), else the client itself. */
export function dataNodes (store: RedisStore): Redis[] {
  const client = store.client
  return client instanceof Cluster ? client.nodes('master') : [client]
}

/** "host:port" of a node, as reports name it: where its connection goes (a Sentinel-found primary too). */
export function nodeAddress (node: Redis): string {
  const socket = (node as unknown as { stream?: { remoteAddress?: string, remotePort?: number } }).stream
  if (socket?.remoteAddress !== undefined && socket.remotePort !== undefined) return `${socket.remoteAddress}:${socket.remotePort}`
  return `${node.options.host ?? 'localhost'}:${node.options.port ?? 6379}`
}

/** Keys matching `pattern` on every data node, one SCAN batch at a time (the next is read when the caller asks). */
export async function * scanKeys (store: RedisStore, pattern: string, count = 500): AsyncGenerator<string[]> {
  for (const node of dataNodes(store)) {
    let cursor = '0'
    do {
      const [next, keys] = await store.call('scan', async () => await node.scan(cursor, 'MATCH', pattern, 'COUNT', count))
      cursor = next
      if (keys.length > 0) yield keys
    } while (cursor !== '0')
  }
}
