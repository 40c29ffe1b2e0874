// Chat history of a session (contract §7). Knows nothing of HTTP; every method takes the caller's
// Access. A request with an Idempotency-Key is replayed by the same script that appends.
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { IdempotencyClaim } from '../domain/idempotency.js'
import type { Message, CreateMessageBody } from '../../schemas/message.js'
import { messageFromStored, storedMessageFields } from '../domain/message-record.js'
import { decodeCursor, pageOf, refuseBothStarts, type Page } from '../domain/page.js'
import { writtenFrom, type Written } from './written.js'
import type { Config } from '../config.js'
import { openMembers, openMembersList, type MaybeSealer, sealingsFor } from '../domain/sealed-content.js'

export type MessageOrder = 'asc' | 'desc'

/** Where a page starts: after a cursor (a seq), after a message id (the documented `after` alias), or at the start. */
export interface MessagePosition { cursor?: string, afterId?: string }

export class MessageRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'maxMessagesPerSession'>,
    private readonly sealer: MaybeSealer = null
  ) {}

  /** Appends a message with the next seq and trims the history to the newest maxMessagesPerSession. */
  async append (id: string, access: Access, ifMatch: string, messageId: string, body: CreateMessageBody, claim?: IdempotencyClaim): Promise<Written<Message>> {
    const sealings = sealingsFor(this.sealer)
    const appended = await this.store.scriptsFor(access).appendMessage(id, {
      owner: ownerArg(access), ifMatch, messageId, fields: storedMessageFields(body, this.sealer, id, sealings), role: body.role, keep: this.settings.maxMessagesPerSession, claim
    })
    return writtenFrom(appended, (stored) => messageFromStored(openMembers(this.sealer, stored, id, sealings)))
  }

  /** A page in seq order (asc or desc) after the position. */
  async list (id: string, access: Access, position: MessagePosition, order: MessageOrder, limit: number): Promise<Page<Message>> {
    refuseBothStarts(position.cursor, position.afterId)
    const afterSeq = position.cursor === undefined ? null : decodeCursor('messages', position.cursor)
    const read = await this.store.scriptsFor(access).readMessages(id, { owner: ownerArg(access), afterSeq, afterId: position.afterId ?? null, order, limit })
    return pageOf('messages', openMembersList(this.sealer, read.messages, id).map(messageFromStored), read.more, (last) => last.seq)
  }

  /** Clears the history (seq keeps counting); returns the session's version. */
  async clear (id: string, access: Access, ifMatch: string): Promise<number> {
    return (await this.store.scriptsFor(access).clearMessages(id, { owner: ownerArg(access), ifMatch })).version
  }
}
