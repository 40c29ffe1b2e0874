// Scene and choice histories of a session (contract §6). Knows nothing of HTTP; every method takes
// the caller's Access. Appends are idempotent by entry id (a retried request passes the same id).
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { Scene, Choice, EnterSceneBody, MakeChoiceBody } from '../../schemas/narrative.js'
import { sceneFromStored, choiceFromStored } from '../domain/narrative-record.js'
import { decodeCursor, encodeCursor } from '../domain/cursor.js'
import { storedItems, writtenFrom, type Page, type Written } from './results.js'

/** Each history keeps its newest entries only; indexes keep counting from the first entry ever. */
export const HISTORY_KEPT = 1000

type History = 'scenes' | 'choices'

/** A history cursor holds the index of the next entry. */
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

export class SceneRepository {
  constructor (private readonly store: RedisStore) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  /** Appends a scene to the history and makes it the current scene, atomically. */
  async enterScene (id: string, access: Access, ifMatch: string, entryId: string, body: EnterSceneBody): Promise<Written<Scene>> {
    const fields = JSON.stringify({ scene_id: body.scene_id })
    const reply = await this.store.run('enterScene', this.keysOf(id), [ownerArg(access), ifMatch, entryId, body.scene_id, fields, HISTORY_KEPT])
    return writtenFrom(reply, sceneFromStored)
  }

  /** Records a choice in the current scene; scene_mismatch when body.scene_id is not the current one. */
  async makeChoice (id: string, access: Access, ifMatch: string, entryId: string, body: MakeChoiceBody): Promise<Written<Choice>> {
    const fields = JSON.stringify({ scene_id: body.scene_id, choice_id: body.choice_id, label: body.label ?? null, data: body.data ?? null })
    const reply = await this.store.run('makeChoice', this.keysOf(id), [ownerArg(access), ifMatch, entryId, body.scene_id, body.choice_id, fields, HISTORY_KEPT])
    return writtenFrom(reply, choiceFromStored)
  }

  async listScenes (id: string, access: Access, cursor: string | undefined, limit: number): Promise<Page<Scene>> {
    return await this.page(id, access, 'scenes', cursor, limit, sceneFromStored)
  }

  async listChoices (id: string, access: Access, cursor: string | undefined, limit: number): Promise<Page<Choice>> {
    return await this.page(id, access, 'choices', cursor, limit, choiceFromStored)
  }

  /** Oldest first; the cursor is the index of the next entry. */
  private async page<T extends { index: number }> (id: string, access: Access, history: History, cursor: string | undefined, limit: number, map: (raw: string) => T): Promise<Page<T>> {
    const from = cursor === undefined ? undefined : decodeCursor(cursor, isIndex)
    const reply = await this.store.run('readHistory', this.keysOf(id), [ownerArg(access), history, from ?? '', limit])
    const items = storedItems(reply[1]).map(map)
    const last = items.at(-1)
    return { items, nextCursor: reply[2] === 1 && last !== undefined ? encodeCursor(last.index + 1) : null }
  }
}
