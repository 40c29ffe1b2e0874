// Onboarding steps and progress of a session (contract §4). Every operation is one Lua script on the
// session's slot; progress is computed from the set of saved steps that same script run saw, so
// `completed` always equals the number of distinct saved steps, whatever runs concurrently.
import type { RedisStore } from '../redis/store.js'
import type { StepState } from '../redis/scripts.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import { computeProgress, type Progress } from '../domain/progress.js'
import { savedSteps, stepFromStored } from '../domain/steps.js'
import { isoFromMs } from '../domain/time.js'
import { jsonText } from '../domain/json-text.js'
import { decodeCursor, pageOf, type Page } from '../domain/page.js'
import type { SaveStepResult, Step } from '../../schemas/steps.js'
import { openStep, sealStepData, type MaybeSealer } from '../domain/sealed-content.js'

/** Every answer carries the session's version (for the etag) and the progress it saw. */
export interface Versioned { version: number, progress: Progress }

function versioned (state: StepState): Versioned {
  return { version: state.version, progress: computeProgress(savedSteps(state.stepsSaved), state.totalSteps, state.progressUpdatedAtMs) }
}

export class StepRepository {
  constructor (private readonly store: RedisStore, private readonly sealer: MaybeSealer = null) {}

  /** Saves (replaces) step n. ifMatch is the expected version, '' for none. */
  async save (id: string, access: Access, n: number, data: Record<string, unknown>, ifMatch: string): Promise<{ version: number, saved: SaveStepResult }> {
    const state = await this.store.scriptsFor(access).saveStep(id, { owner: ownerArg(access), ifMatch, step: n, data: sealStepData(this.sealer, jsonText(data), id) })
    const { version, progress } = versioned(state)
    return { version, saved: { step: n, data, saved_at: isoFromMs(state.savedAtMs)!, progress } }
  }

  /** One saved step; step_not_found when it is not saved. */
  async get (id: string, access: Access, n: number): Promise<Versioned & { step: Step }> {
    const read = await this.store.scriptsFor(access).readStep(id, { owner: ownerArg(access), step: n })
    return { ...versioned(read), step: stepFromStored(n, openStep(this.sealer, read.stored, id)) }
  }

  /** One page of saved steps in step order. */
  async list (id: string, access: Access, cursor: string | undefined, limit: number): Promise<Versioned & { page: Page<Step> }> {
    const after = cursor === undefined ? 0 : decodeCursor('steps', cursor)
    const read = await this.store.scriptsFor(access).readSteps(id, { owner: ownerArg(access), after, limit })
    const steps = read.steps.map(([n, stored]) => stepFromStored(n, openStep(this.sealer, stored, id)))
    return { ...versioned(read), page: pageOf('steps', steps, read.more, (last) => last.step) }
  }

  /** Removes step n; step_not_found when it is not saved. */
  async delete (id: string, access: Access, n: number, ifMatch: string): Promise<Versioned> {
    return versioned(await this.store.scriptsFor(access).deleteStep(id, { owner: ownerArg(access), ifMatch, step: n }))
  }

  async progress (id: string, access: Access): Promise<Versioned> {
    return versioned(await this.store.scriptsFor(access).readProgress(id, { owner: ownerArg(access) }))
  }
}
