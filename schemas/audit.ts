import { Type, type Static } from 'typebox'
import { Nullable, NextCursor, PageQuery, SessionId, Timestamp } from './common.js'

export const AuditQuery = Type.Object({
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC day (YYYY-MM-DD); default today' })),
  ...PageQuery
}, { additionalProperties: false })
export type AuditQuery = Static<typeof AuditQuery>

export const AuditEntry = Type.Object({
  at: Timestamp,
  principal: Type.String({ description: '"service:<key name>", "admin:<key name>" or "user:<sub>"' }),
  action: Type.String({ description: 'Method and route template, e.g. "PATCH /v1/sessions/:id"' }),
  status: Type.Integer({ description: 'HTTP status of the change' }),
  session_id: Nullable(SessionId),
  request_id: Type.String()
}, { additionalProperties: false })
export type AuditEntry = Static<typeof AuditEntry>

export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), next_cursor: NextCursor }, { additionalProperties: false })
