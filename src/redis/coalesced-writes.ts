// Coalesced writes (docs/decisions/0715): every command ioredis writes in one turn of the event loop
// leaves in one write to the socket. The socket is corked by the turn's first write and uncorked in
// that turn's check phase (setImmediate), so commands of many concurrent requests share a syscall —
// on loopback a write costs the sender the receiver's TCP work too. Unlike ioredis' auto-pipelining,
// nothing waits for an earlier batch's replies, so every command's timeout still starts when it is
// issued (docs/decisions/0403).
import { Cluster, type Redis } from 'ioredis'
import type { Socket } from 'node:net'
import type { RedisClient } from './client.js'

const coalesced = new WeakSet<Socket>()

function coalesce (socket: Socket): void {
  if (coalesced.has(socket)) return
  coalesced.add(socket)
  let corked = false
  const uncork = (): void => {
    corked = false
    socket.uncork()
  }
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
