// How a script call leaves for Redis (docs/decisions/0728): one ioredis Command made from the call's
// final argument list. ioredis' own path (defineCommand → Script#execute → Command) copies the arguments
// three times and flattens them with Array.prototype.flat, which Node 20's V8 runs at ~70 ns per element:
// ~2.3 µs for a session script's 25 arguments, against ~0.1 µs for a Command handed its list ready.
// The protocol is ioredis' own: the first call on a connection sends the Lua with EVAL, later calls
// EVALSHA, and a NOSCRIPT (SCRIPT FLUSH, a failover to a server without it) sends the Lua again on
// that connection. Sent through the client's sendCommand, a call keeps its command timeout, Cluster
// routing and redirections, and ioredis' tracing.
import { createHash } from 'node:crypto'
import { Command } from 'ioredis'
import type { RedisClient } from './client.js'
import type { ScriptArg } from './scripts.js'

const NO_ARGS: string[] = []
/** Replies as strings, as ioredis answers a defined command (its `…Buffer` twin answers Buffers). */
const AS_TEXT = { replyEncoding: 'utf8' as const }

class ScriptCommand extends Command {
  /** The connection this command was last written to. */
  sentOn: object | undefined

  constructor (private readonly script: LoadedScript, argv: string[]) {
    super('evalsha', NO_ARGS, AS_TEXT)
    this.args = argv
  }

  override toWritable (socket: object): string | Buffer {
    this.sentOn = socket
    if (!this.script.loadedOn.has(socket)) {
      this.script.loadedOn.add(socket)
      this.name = 'eval'
      this.args[0] = this.script.lua
    } else if (this.name === 'eval') {
      this.name = 'evalsha'
      this.args[0] = this.script.sha
    }
    return super.toWritable(socket)
  }
}

function isNoScript (err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT')
}

/** One Lua script as this process sends it. */
export class LoadedScript {
  readonly sha: string
  /** The connections (ioredis' sockets) that have been sent the Lua since they opened. */
  readonly loadedOn = new WeakSet<object>()

  /** `numberOfKeys` undefined: the call's keys say how many there are (a `-n` script). */
  constructor (readonly lua: string, readonly numberOfKeys: number | undefined) {
    this.sha = createHash('sha1').update(lua).digest('hex')
  }

  /** The script run on `client` with these keys and arguments; its reply as ioredis decodes it. */
  call (client: RedisClient, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    const argv = new Array<string>(2 + keys.length + args.length)
    argv[0] = this.sha
    argv[1] = String(this.numberOfKeys ?? keys.length)
    for (let i = 0; i < keys.length; i++) argv[2 + i] = keys[i]!
    for (let i = 0, at = 2 + keys.length; i < args.length; i++) {
      const arg = args[i]!
      argv[at + i] = typeof arg === 'string' ? arg : String(arg)
    }
    const first = new ScriptCommand(this, argv)
    client.sendCommand(first)
    return first.promise.catch((err: unknown) => {
      if (!isNoScript(err)) throw err
      if (first.sentOn !== undefined) this.loadedOn.delete(first.sentOn)
      const again = new ScriptCommand(this, argv.slice())
      client.sendCommand(again)
      return again.promise
    })
  }
}
