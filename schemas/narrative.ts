// Narrative: contexts (§6), scene history and choice history.
import { Type, type Static } from 'typebox'
import { JsonObject, FreeObject, Nullable, SessionId, Timestamp, PageQuery, NextCursor, ShortText, DOCUMENT_MAX_BYTES, AnyObject } from './common.js'

export const ContextType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'e.g. world_state, story_variables' })

export const NarrativeParams = Type.Object({ id: SessionId, context_type: ContextType }, { additionalProperties: false })
export type NarrativeParams = Static<typeof NarrativeParams>

export const PutContextBody = Type.Object({
  data: JsonObject(DOCUMENT_MAX_BYTES, { description: 'The context, a JSON object of at most 64 KiB serialized' }),
  ttl_seconds: Type.Optional(Type.Integer({
    minimum: 1,
    maximum: 315_360_000,
    description: 'Default NARRATIVE_TTL_SECONDS; capped at the session\'s expiry (a longer value is accepted and capped)'
  }))
}, { additionalProperties: false })
export type PutContextBody = Static<typeof PutContextBody>

const contextFields = {
  data: AnyObject(),
  updated_at: Timestamp,
  expires_at: Timestamp
}

export const NarrativeContext = Type.Object({ context_type: ContextType, ...contextFields }, { additionalProperties: false })
export type NarrativeContext = Static<typeof NarrativeContext>

export const NarrativeContexts = Type.Object({
  contexts: Type.Record(ContextType, Type.Object(contextFields, { additionalProperties: false }), {
    description: 'Every live context by context_type; expired ones are absent'
  })
}, { additionalProperties: false })
export type NarrativeContexts = Static<typeof NarrativeContexts>

const NarrativeId = ShortText

export const EnterSceneBody = Type.Object({ scene_id: NarrativeId }, { additionalProperties: false })
export type EnterSceneBody = Static<typeof EnterSceneBody>

export const Scene = Type.Object({
  id: Type.String({ description: 'This entry of the history' }),
  scene_id: Type.String(),
  entered_at: Timestamp,
  index: Type.Integer({ minimum: 0, description: 'Position since the first scene ever entered (stable when old entries are trimmed)' })
}, { additionalProperties: false })
export type Scene = Static<typeof Scene>

export const SceneList = Type.Object({ scenes: Type.Array(Scene), next_cursor: NextCursor }, { additionalProperties: false })
export type SceneList = Static<typeof SceneList>

export const MakeChoiceBody = Type.Object({
  scene_id: NarrativeId,
  choice_id: NarrativeId,
  label: Type.Optional(Type.String({ maxLength: 1024 })),
  data: Type.Optional(FreeObject())
}, { additionalProperties: false })
export type MakeChoiceBody = Static<typeof MakeChoiceBody>

export const Choice = Type.Object({
  id: Type.String({ description: 'This entry of the history' }),
  scene_id: Type.String(),
  choice_id: Type.String(),
  label: Nullable(Type.String()),
  data: Nullable(AnyObject()),
  made_at: Timestamp,
  index: Type.Integer({ minimum: 0, description: 'Position since the first choice ever made (stable when old entries are trimmed)' })
}, { additionalProperties: false })
export type Choice = Static<typeof Choice>

export const ChoiceList = Type.Object({ choices: Type.Array(Choice), next_cursor: NextCursor }, { additionalProperties: false })
export type ChoiceList = Static<typeof ChoiceList>

export const HistoryQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type HistoryQuery = Static<typeof HistoryQuery>
