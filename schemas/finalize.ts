import { Type, type Static } from 'typebox'
import { SessionId, Timestamp, NextCursor, PageQuery, STREAM_ID_PATTERN, AnyObject } from './common.js'
import { SessionRef } from './session.js'
import { ProgressRef } from './summary.js'

export const FinalizeBody = Type.Object({
  allow_incomplete: Type.Optional(Type.Boolean({ default: false, description: 'Finalize even when steps are missing' }))
}, { additionalProperties: false, default: {}, description: 'Optional: no body is the default, {}' })
export type FinalizeBody = Static<typeof FinalizeBody>

const JsonRecord = AnyObject()

export const Finalized = Type.Object({
  session: SessionRef,
  progress: ProgressRef,
  context: Type.Object({
    steps: Type.Record(Type.String(), JsonRecord, { description: 'Saved step data by step number' }),
    merged: Type.Record(Type.String(), Type.Unknown(), { description: 'Shallow merge of the step objects in step order (later steps win)' }),
    narrative: Type.Record(Type.String(), JsonRecord, { description: 'Live narrative contexts by context type' }),
    metadata: JsonRecord
  }, { additionalProperties: false }),
  finalized_at: Timestamp
}, { additionalProperties: false })
export type Finalized = Static<typeof Finalized>

export const StreamId = Type.String({ pattern: STREAM_ID_PATTERN, description: 'Redis Stream entry id' })

export const FinalizedQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: STREAM_ID_PATTERN, description: 'Entries after this stream entry id (exclusive)' })),
  ...PageQuery
}, { additionalProperties: false })
export type FinalizedQuery = Static<typeof FinalizedQuery>

export const FinalizedEntry = Type.Object({
  id: StreamId,
  session_id: SessionId,
  finalized_at: Timestamp,
  result: Finalized
}, { additionalProperties: false })
export type FinalizedEntry = Static<typeof FinalizedEntry>

export const FinalizedPage = Type.Object({
  entries: Type.Array(FinalizedEntry),
  next_cursor: NextCursor
}, { additionalProperties: false })
export type FinalizedPage = Static<typeof FinalizedPage>
