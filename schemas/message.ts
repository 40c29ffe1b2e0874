// Chat history (§7).
import { Type, type Static } from 'typebox'
import { JsonObject, Nullable, StringEnum, Timestamp, PageQuery } from './common.js'

export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool'] as const

const messageId = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description })
export const MessageId = messageId('A message id')

export const CreateMessageBody = Type.Object({
  role: StringEnum(MESSAGE_ROLES),
  content: Type.String({ maxLength: 32_768 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  metadata: Type.Optional(JsonObject(16_384, { description: 'Free JSON object, at most 16 KiB serialized' }))
}, { additionalProperties: false })
export type CreateMessageBody = Static<typeof CreateMessageBody>

export const Message = Type.Object({
  id: MessageId,
  seq: Type.Integer({ minimum: 1, description: '1, 2, 3 … per session, no gaps; not reset when the history is cleared' }),
  role: StringEnum(MESSAGE_ROLES),
  content: Type.String(),
  name: Nullable(Type.String()),
  metadata: Nullable(Type.Record(Type.String(), Type.Unknown())),
  created_at: Timestamp
}, { additionalProperties: false })
export type Message = Static<typeof Message>

export const ListMessagesQuery = Type.Object({
  after: Type.Optional(messageId('Messages after this one in the listing order')),
  cursor: Type.Optional(messageId('next_cursor of the previous page; the same as after')),
  limit: PageQuery.limit,
  order: StringEnum(['asc', 'desc'] as const, { default: 'asc', description: 'asc: oldest first; desc: newest first' })
}, { additionalProperties: false })
export type ListMessagesQuery = Static<typeof ListMessagesQuery>

export const MessageList = Type.Object({
  messages: Type.Array(Message),
  next_cursor: Nullable(Type.String({ description: 'The id of the page\'s last message; pass it as cursor (or after)' }))
}, { additionalProperties: false })
export type MessageList = Static<typeof MessageList>

