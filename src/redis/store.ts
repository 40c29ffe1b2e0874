// What repositories talk to: the key builder, the typed scripts, and one place where every Redis call
// is timed for metrics and its failures are classified (unavailable → 503, else a bug).
import { Cluster } from 'ioredis'
import type { RedisClient } from './client.js'
import type { Keys } from './keys.js'
import { defineScripts } from './script-loader.js'
import { Scripts, luaConstants, type ScriptArg, type ScriptName, type ScriptOptions } from './scripts.js'
import { isRedisUnavailable } from './unavailable.js'
import { AppError, RedisUnavailableError } from '../errors.js'

/** Called after every Redis operation with its name, duration and outcome. */
export type RedisObserver = (operation: string, seconds: number, failed: boolean) => void

type ScriptCommand = (...args: ScriptArg[]) => Promise<unknown>

export class RedisStore {
  readonly scripts: Scripts
  /** On a Cluster a script reaches one slot only; repositories read across slots command by command. */
  readonly isCluster: boolean
  private readonly defined: Map<string, number | undefined>

  constructor (
    readonly client: RedisClient,
    readonly keys: Keys,
    private readonly observe: RedisObserver = () => {},
    options: Partial<ScriptOptions> = {}
  ) {
    this.isCluster = client instanceof Cluster
    this.defined = defineScripts(client, luaConstants({ publishCommand: options.publishCommand ?? (this.isCluster ? 'SPUBLISH' : 'PUBLISH') }))
    this.scripts = new Scripts(async (name, keys, args) => await this.runScript(name, keys, args), keys)
  }

  /** Runs one Redis operation: timed, and with transport failures turned into RedisUnavailableError. */
  async call<T> (operation: string, fn: (client: RedisClient) => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint()
    let failed = false
    try {
      return await fn(this.client)
    } catch (err) {
      if (err instanceof AppError) throw err
      failed = true
      if (isRedisUnavailable(err)) throw new RedisUnavailableError(err)
      throw err
    } finally {
      this.observe(operation, Number(process.hrtime.bigint() - started) / 1e9, failed)
    }
  }

  private async runScript (name: ScriptName, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    if (!this.defined.has(name)) throw new Error(`no Lua script named ${name}`)
    const command = (this.client as unknown as Record<string, ScriptCommand>)[name]!
    // A `-n` script takes the number of keys as its first argument.
    const all = this.defined.get(name) === undefined ? [keys.length, ...keys, ...args] : [...keys, ...args]
    return await this.call(name, async (client) => await command.call(client, ...all))
  }
}
