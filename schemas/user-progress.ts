// User progress snapshots (§6).
import { Type, type Static } from 'typebox'
import { UserId, Timestamp, PageQuery, NextCursor, ShortText } from './common.js'

const Metrics = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }), Type.Number(), {
  maxProperties: 100,
  additionalProperties: false,
  description: 'Metric name (1-64 chars of [A-Za-z0-9_.:-]) → number'
})
const Skills = Type.Array(ShortText, { maxItems: 100 })
const Milestones = Type.Integer({ minimum: 0, maximum: 1_000_000_000 })

export const CreateSnapshotBody = Type.Object({
  metrics: Metrics,
  skills_developed: Type.Optional(Skills),
  milestones_achieved: Type.Optional(Milestones)
}, { additionalProperties: false })
export type CreateSnapshotBody = Static<typeof CreateSnapshotBody>

export const ProgressSnapshot = Type.Object({
  id: Type.String(),
  user_id: UserId,
  metrics: Type.Record(Type.String(), Type.Number()),
  skills_developed: Skills,
  milestones_achieved: Milestones,
  created_at: Timestamp
}, { additionalProperties: false })
export type ProgressSnapshot = Static<typeof ProgressSnapshot>

export const SnapshotList = Type.Object({ snapshots: Type.Array(ProgressSnapshot), next_cursor: NextCursor }, { additionalProperties: false })
export type SnapshotList = Static<typeof SnapshotList>

export const SnapshotQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type SnapshotQuery = Static<typeof SnapshotQuery>
