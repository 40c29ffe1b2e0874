// Stored chat messages ↔ the API's Message. Pure. The messages list holds
// {"id","seq","created_at":<ms>,"role","content"[,"name"][,"metadata"]} (absent name/metadata read as null).
import type { Message, CreateMessageBody } from '../../schemas/message.js'
import { isoFromMs } from './time.js'
import { SEALED_MESSAGE_MEMBERS, sealMembers, type MaybeSealer, type Sealings } from './sealed-content.js'

/** The fields of a new message the script stores after its id, seq and created_at (a JSON object). */
export function storedMessageFields (body: CreateMessageBody, sealer: MaybeSealer = null, sessionId = '', sealings?: Sealings): string {
  return sealMembers(sealer, { role: body.role, content: body.content, name: body.name, metadata: body.metadata }, SEALED_MESSAGE_MEMBERS, sessionId, sealings)
}

export function messageFromStored (raw: string): Message {
  const stored = JSON.parse(raw) as Omit<Message, 'created_at'> & { created_at: number }
  return {
    id: stored.id,
    seq: stored.seq,
    role: stored.role,
    content: stored.content,
    name: stored.name ?? null,
    metadata: stored.metadata ?? null,
    created_at: isoFromMs(stored.created_at)!
  }
}
