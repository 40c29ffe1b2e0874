// Stored chat messages ↔ the API's Message. Pure. message_docs hash field <id> →
// {"id","seq","created_at":<ms>,"role","content","name","metadata"}.
import type { Message } from '../../schemas/message.js'
import { isoFromMs } from './time.js'

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
