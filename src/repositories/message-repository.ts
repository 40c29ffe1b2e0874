// Chat history of a session (contract §7). Knows nothing of HTTP; every method takes the caller's
// Access. Appends are idempotent by message id (a retried request passes the same id).
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { Message, CreateMessageBody } from '../../schemas/message.js'
import { messageFromStored } from '../domain/message-record.js'
import { storedItems, writtenFrom, type Page, type Written } from './results.js'
import type { Config } from '../config.js'

export type MessageOrder = 'asc' | 'desc'

export class MessageRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'maxMessagesPerSession'>
  ) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  /** Appends a message with the next seq and trims the history to the newest maxMessagesPerSession. */
  async append (id: string, access: Access, ifMatch: string, messageId: string, body: CreateMessageBody): Promise<Written<Message>> {
    const fields = JSON.stringify({ role: body.role, content: body.content, name: body.name ?? null, metadata: body.metadata ?? null })
    const reply = await this.store.run('appendMessage', this.keysOf(id),
      [ownerArg(access), ifMatch, messageId, fields, body.role, this.settings.maxMessagesPerSession])
    return writtenFrom(reply, messageFromStored)
  }

  /** A page in seq order after the message `after` (in that order); the cursor is the last message's id. */
  async list (id: string, access: Access, after: string | undefined, order: MessageOrder, limit: number): Promise<Page<Message>> {
    const reply = await this.store.run('readMessages', this.keysOf(id), [ownerArg(access), after ?? '', order, limit])
    const items = storedItems(reply[1]).map(messageFromStored)
    const last = items.at(-1)
    return { items, nextCursor: reply[2] === 1 && last !== undefined ? last.id : null }
  }

  /** Clears the history (seq keeps counting); returns the session's version. */
  async clear (id: string, access: Access, ifMatch: string): Promise<number> {
    const reply = await this.store.run('clearMessages', this.keysOf(id), [ownerArg(access), ifMatch])
    return Number(reply[2])
  }
}
