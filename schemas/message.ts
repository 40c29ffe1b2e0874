// Chat history (§7).
import { Type, type Static } from 'typebox'
import { FreeObject, Nullable, StringEnum, Timestamp, PageQuery, NextCursor, ID_PATTERN, MESSAGE_CONTENT_MAX_CHARS, AnyObject } from './common.js'

export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool'] as const

export const MessageId = Type.String({ pattern: ID_PATTERN, description: 'A message id' })

export const CreateMessageBody = Type.Object({
  role: StringEnum(MESSAGE_ROLES),
  content: Type.String({ maxLength: MESSAGE_CONTENT_MAX_CHARS }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  metadata: Type.Optional(FreeObject())
}, { additionalProperties: false })
export type CreateMessageBody = Static<typeof CreateMessageBody>

export const Message = Type.Object({
  id: MessageId,
  seq: Type.Integer({ minimum: 1, description: '1, 2, 3 … per session, no gaps; not reset when the history is cleared' }),
  role: StringEnum(MESSAGE_ROLES),
  content: Type.String(),
  name: Nullable(Type.String()),
  metadata: Nullable(AnyObject()),
  created_at: Timestamp
}, { additionalProperties: false })
export type Message = Static<typeof Message>

export const ListMessagesQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'Messages after this message id in the listing order' })),
  ...PageQuery,
  order: StringEnum(['asc', 'desc'] as const, { default: 'asc', description: 'asc: oldest first; desc: newest first' })
}, { additionalProperties: false })
export type ListMessagesQuery = Static<typeof ListMessagesQuery>

export const MessageList = Type.Object({
  messages: Type.Array(Message),
  next_cursor: NextCursor
}, { additionalProperties: false })
export type MessageList = Static<typeof MessageList>

