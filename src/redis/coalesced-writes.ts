// Coalesced writes (docs/decisions/0715): every command ioredis writes in one turn of the event loop
// leaves in one write to the socket. The socket is corked by the turn's first write and uncorked in
// that turn's check phase (setImmediate), so commands of many concurrent requests share a syscall —
// on loopback a write costs the sender the receiver's TCP work too. Unlike ioredis' auto-pipelining,
// nothing waits for an earlier batch's replies, so every command's timeout still starts when it is
// issued (docs/decisions/0403). A command that keeps Redis busy long is sent at once instead
// (flushWrites, docs/decisions/0723).
import { Cluster, type Redis } from 'ioredis'
import type { Socket } from 'node:net'
import type { RedisClient } from './client.js'

const coalesced = new WeakMap<Socket, () => void>()

function coalesce (socket: Socket): void {
  if (coalesced.has(socket)) return
  let corked = false
  const uncork = (): void => {
    if (!corked) return
    corked = false
    socket.uncork()
  }
  coalesced.set(socket, uncork)
  const write = socket.write
  socket.write = function coalescedWrite (this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (!corked) {
      corked = true
      socket.cork()
      setImmediate(uncork)
    }
    return write.apply(this, args)
  } as Socket['write']
}

/**
 * Sends what this turn has written to `client` so far now, instead of in the turn's check phase (every
 * master's connection, on a Cluster). Nothing when the client does not coalesce (REDIS_WRITES).
 */
export function flushWrites (client: RedisClient): void {
  if (client instanceof Cluster) {
    for (const node of client.nodes('master')) flushWrites(node)
    return
  }
  const socket = (client as unknown as { stream?: Socket }).stream
  if (socket !== undefined) coalesced.get(socket)?.()
}

/** Coalesces the writes of `client` on every connection it opens (each node's, on a Cluster). */
export function coalesceWrites (client: RedisClient): void {
  if (client instanceof Cluster) {
    client.on('+node', (node: Redis) => coalesceWrites(node))
    return
  }
  const onConnect = (): void => {
    const socket = (client as unknown as { stream?: Socket }).stream
    if (socket !== undefined) coalesce(socket)
  }
  client.on('connect', onConnect)
}
