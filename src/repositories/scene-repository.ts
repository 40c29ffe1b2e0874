// Scene and choice histories of a session (contract §6). Knows nothing of HTTP; every method takes
// the caller's Access. A request with an Idempotency-Key is replayed by the same script that appends.
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { IdempotencyClaim } from '../domain/idempotency.js'
import type { Scene, Choice, EnterSceneBody, MakeChoiceBody } from '../../schemas/narrative.js'
import { sceneFromStored, choiceFromStored } from '../domain/narrative-record.js'
import { decodeCursor, pageOf, type Page } from '../domain/page.js'
import { writtenFrom, type Written } from './written.js'
import { SEALED_CHOICE_MEMBERS, openMembers, openMembersList, sealMembers, type MaybeSealer, sealingsFor } from '../domain/sealed-content.js'

/** Each history keeps its newest entries only; indexes keep counting from the first entry ever. */
export const HISTORY_KEPT = 1000

export class SceneRepository {
  constructor (private readonly store: RedisStore, private readonly sealer: MaybeSealer = null) {}

  /** Appends a scene to the history and makes it the current scene, atomically. */
  async enterScene (id: string, access: Access, ifMatch: string, entryId: string, body: EnterSceneBody, claim?: IdempotencyClaim): Promise<Written<Scene>> {
    const appended = await this.store.scriptsFor(access).enterScene(id, {
      owner: ownerArg(access), ifMatch, entryId, sceneId: body.scene_id, fields: JSON.stringify({ scene_id: body.scene_id }), keep: HISTORY_KEPT, claim
    })
    return writtenFrom(appended, sceneFromStored)
  }

  /** Records a choice in the current scene; scene_mismatch when body.scene_id is not the current one. */
  async makeChoice (id: string, access: Access, ifMatch: string, entryId: string, body: MakeChoiceBody, claim?: IdempotencyClaim): Promise<Written<Choice>> {
    const sealings = sealingsFor(this.sealer)
    const fields = sealMembers(this.sealer, { scene_id: body.scene_id, choice_id: body.choice_id, label: body.label ?? null, data: body.data ?? null }, SEALED_CHOICE_MEMBERS, id, sealings)
    const appended = await this.store.scriptsFor(access).makeChoice(id, {
      owner: ownerArg(access), ifMatch, entryId, sceneId: body.scene_id, choiceId: body.choice_id, fields, keep: HISTORY_KEPT, claim
    })
    return writtenFrom(appended, (stored) => choiceFromStored(openMembers(this.sealer, stored, id, sealings)))
  }

  /** Oldest first; the cursor holds the index of the next entry. */
  async listScenes (id: string, access: Access, cursor: string | undefined, limit: number): Promise<Page<Scene>> {
    const from = cursor === undefined ? null : decodeCursor('scenes', cursor)
    const read = await this.store.scriptsFor(access).readHistory(id, { owner: ownerArg(access), history: 'scenes', from, limit })
    return pageOf('scenes', read.entries.map(sceneFromStored), read.more, (last) => last.index + 1)
  }

  async listChoices (id: string, access: Access, cursor: string | undefined, limit: number): Promise<Page<Choice>> {
    const from = cursor === undefined ? null : decodeCursor('choices', cursor)
    const read = await this.store.scriptsFor(access).readHistory(id, { owner: ownerArg(access), history: 'choices', from, limit })
    return pageOf('choices', openMembersList(this.sealer, read.entries, id).map(choiceFromStored), read.more, (last) => last.index + 1)
  }
}
