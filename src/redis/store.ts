// What repositories talk to: the key builder, the typed scripts, and one place where every Redis call
// is timed for metrics, bounded by its request's deadline, and its failures are classified
// (unavailable → 503, else a bug).
import { Cluster } from 'ioredis'
import type { RedisClient } from './client.js'
import type { Keys } from './keys.js'
import { defineScripts } from './script-loader.js'
import { LONG_SCRIPTS, Scripts, luaConstants, type ScriptArg, type ScriptName, type ScriptOptions } from './scripts.js'
import { isRedisUnavailable } from './unavailable.js'
import { flushWrites } from './coalesced-writes.js'
import type { LoadedScript } from './script-call.js'
import { AppError, RedisUnavailableError } from '../errors.js'
import { RequestDeadlineExceeded } from '../deadline.js'

/** Called after every Redis operation with its name, duration and outcome. */
export type RedisObserver = (operation: string, seconds: number, failed: boolean) => void

type IoredisScriptMethod = (...args: ScriptArg[]) => Promise<unknown>

/** What carries a request's deadline (an Access does). */
export interface Bounded { readonly deadline?: number }

export class RedisStore {
  readonly scripts: Scripts
  /** On a Cluster a script reaches one slot only; repositories read across slots command by command. */
  readonly isCluster: boolean
  private readonly defined: Map<string, LoadedScript>
  /** REDIS_WRITES=auto-pipeline: scripts go through ioredis' own commands, which its batching joins. */
  private readonly autoPipelined: boolean
  /** ioredis fails a command after this long by itself (REDIS_COMMAND_TIMEOUT_MS). */
  private readonly commandTimeoutMs: number

  constructor (
    readonly client: RedisClient,
    readonly keys: Keys,
    private readonly observe: RedisObserver = () => {},
    options: Partial<ScriptOptions> = {}
  ) {
    this.isCluster = client instanceof Cluster
    const connection = client instanceof Cluster ? client.options.redisOptions : client.options
    this.commandTimeoutMs = connection?.commandTimeout ?? Infinity
    this.autoPipelined = client.options.enableAutoPipelining === true
    this.defined = defineScripts(client, luaConstants({ publishCommand: options.publishCommand ?? (this.isCluster ? 'SPUBLISH' : 'PUBLISH') }, keys))
    // Plain functions down to run(), which is the one async layer here: each async hop costs a promise
    // and a microtask on every request.
    this.scripts = new Scripts((name, keys, args, deadline) => this.runScript(name, keys, args, deadline), keys, this.isCluster)
  }

  /** The scripts, each call bounded by the request deadline `bound` carries (if any). */
  scriptsFor (bound: Bounded): Scripts {
    return this.scripts.until(bound.deadline)
  }

  /**
   * Runs one Redis operation of one round trip (one command, or commands sent together): timed, and with
   * transport failures turned into RedisUnavailableError. With a `deadline` (performance.now() ms, a
   * request's: docs/decisions/0404) the operation is not sent once it has passed, and is given up at it
   * when the command timeout alone would end later. Only then does a timer run: an operation with a full
   * command timeout left relies on ioredis' own (except on a Cluster, see below).
   */
  call<T> (operation: string, fn: (client: RedisClient) => Promise<T>, deadline?: number): Promise<T> {
    return this.run(operation, fn, deadline, false)
  }

  /**
   * Runs an operation that waits for several round trips one after another (a scan, a read then a
   * write): like call(), but always given up at the deadline, since ioredis bounds each command alone.
   */
  async sequence<T> (operation: string, fn: (client: RedisClient) => Promise<T>, deadline?: number): Promise<T> {
    return await this.run(operation, fn, deadline, true)
  }

  private async run<T> (operation: string, fn: (client: RedisClient) => Promise<T>, deadline: number | undefined, several: boolean): Promise<T> {
    const started = performance.now()
    let failed = false
    let timer: NodeJS.Timeout | undefined
    try {
      if (deadline === undefined) return await fn(this.client)
      const left = deadline - started
      if (left <= 0) throw new RequestDeadlineExceeded(operation)
      // On a Cluster ioredis retries a command through redirections and failovers (retryDelayOnFailover,
      // up to maxRedirections) before its command timer starts: there every call is raced.
      if (!several && !this.isCluster && left >= this.commandTimeoutMs) return await fn(this.client)
      const expired = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new RequestDeadlineExceeded(operation)), left) })
      return await Promise.race([fn(this.client), expired])
    } catch (err) {
      if (err instanceof AppError) throw err
      failed = true
      if (isRedisUnavailable(err)) throw new RedisUnavailableError(err, operation)
      throw err
    } finally {
      clearTimeout(timer)
      this.observe(operation, (performance.now() - started) / 1000, failed)
    }
  }

  private runScript (name: ScriptName, keys: readonly string[], args: readonly ScriptArg[], deadline?: number): Promise<unknown> {
    const script = this.defined.get(name)
    if (script === undefined) return Promise.reject(new Error(`no Lua script named ${name}`))
    return this.run(name, (client) => {
      const reply = this.autoPipelined ? this.viaIoredis(client, name, script, keys, args) : script.call(client, keys, args)
      if (LONG_SCRIPTS.has(name)) flushWrites(client)
      return reply
    }, deadline, false)
  }

  private viaIoredis (client: RedisClient, name: ScriptName, script: LoadedScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    const command = (client as unknown as Record<string, IoredisScriptMethod>)[name]!
    // A `-n` script takes the number of keys as its first argument.
    return command.call(client, ...(script.numberOfKeys === undefined ? [keys.length, ...keys, ...args] : [...keys, ...args]))
  }
}
