// Onboarding steps and progress of a session (contract §4). Every operation is one Lua script on the
// session's slot; progress is computed from the step set that same script run saw, so `completed`
// always equals the number of distinct saved steps, whatever runs concurrently.
import type { RedisStore } from '../redis/store.js'
import { recordFromFlat } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { computeProgress, type Progress } from '../domain/progress.js'
import { stepsFromHash } from '../domain/summary.js'
import { isoFromMs } from '../domain/time.js'
import type { SaveStepResult, Step } from '../../schemas/steps.js'

/** Every answer carries the session's version (for the etag) and the progress it saw. */
export interface Versioned { version: number, progress: Progress }

export interface StepPage extends Versioned { steps: Step[], hasMore: boolean }

/** The common head of every step script reply: {0, version, total_steps, progress_updated_at, {step numbers}, …}. */
function versioned (reply: unknown[]): Versioned {
  const updatedAt = String(reply[3] ?? '')
  const numbers = (reply[4] as unknown[]).map(Number)
  return {
    version: Number(reply[1]),
    progress: computeProgress(numbers, Number(reply[2]), updatedAt === '' ? null : Number(updatedAt))
  }
}

export class StepRepository {
  constructor (private readonly store: RedisStore) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  /** Saves (replaces) step n. ifMatch is the expected version, '' for none. */
  async save (id: string, access: Access, n: number, data: Record<string, unknown>, ifMatch: string): Promise<SaveStepResult & { version: number }> {
    const reply = await this.store.run('saveStep', this.keysOf(id), [
      ownerArg(access), ifMatch, n, JSON.stringify(data), JSON.stringify({ step: n })
    ])
    const { version, progress } = versioned(reply)
    return { step: n, data, saved_at: isoFromMs(Number(reply[5])), progress, version }
  }

  /** One saved step; step_not_found when it is not saved. */
  async get (id: string, access: Access, n: number): Promise<Versioned & { step: Step }> {
    const reply = await this.store.run('readStep', this.keysOf(id), [ownerArg(access), n])
    return { ...versioned(reply), step: stepsFromHash({ [n]: String(reply[5]) })[0]! }
  }

  /** Up to `limit` saved steps after step number `after` (0: from the first), in step order. */
  async list (id: string, access: Access, after: number, limit: number): Promise<StepPage> {
    const reply = await this.store.run('readSteps', this.keysOf(id), [ownerArg(access), after, limit])
    return { ...versioned(reply), steps: stepsFromHash(recordFromFlat(reply[5])), hasMore: reply[6] === 1 }
  }

  /** Removes step n; step_not_found when it is not saved. */
  async delete (id: string, access: Access, n: number, ifMatch: string): Promise<Versioned> {
    return versioned(await this.store.run('deleteStep', this.keysOf(id), [ownerArg(access), ifMatch, n, JSON.stringify({ step: n })]))
  }

  async progress (id: string, access: Access): Promise<Versioned> {
    return versioned(await this.store.run('readProgress', this.keysOf(id), [ownerArg(access)]))
  }
}
