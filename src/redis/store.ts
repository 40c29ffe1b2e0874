// What repositories talk to: the client, the key builder, the Lua scripts, and one place where every
// Redis call is timed for metrics and its failures are classified (unavailable → 503, else a bug).
import type { RedisClient } from './client.js'
import type { Keys } from './keys.js'
import { defineScripts } from './scripts.js'
import { unwrapScriptReply } from './script-errors.js'
import { isRedisUnavailable } from './unavailable.js'
import { AppError, RedisUnavailableError } from '../errors.js'

/** Called after every Redis operation with its name, duration and outcome. */
export type RedisObserver = (operation: string, seconds: number, failed: boolean) => void

export type ScriptArg = string | number

export class RedisStore {
  private readonly scripts: Set<string>

  constructor (
    readonly client: RedisClient,
    readonly keys: Keys,
    private readonly observe: RedisObserver = () => {}
  ) {
    this.scripts = defineScripts(client)
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

  /** Runs a Lua script by name; a negative status becomes its typed domain error. */
  async run (script: string, keys: readonly string[], args: readonly ScriptArg[] = []): Promise<unknown[]> {
    if (!this.scripts.has(script)) throw new Error(`unknown Lua script ${script}`)
    const reply = await this.call(script, async (client) =>
      await (client as unknown as Record<string, (...a: ScriptArg[]) => Promise<unknown>>)[script]!(...keys, ...args))
    return unwrapScriptReply(reply)
  }
}

/** A flat [field, value, field, value …] reply → record. */
export function recordFromFlat (flat: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!Array.isArray(flat)) return out
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1])
  return out
}
