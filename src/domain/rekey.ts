// What `npx sessiond rotate-keys` rewrites (contract §13): every stored value that is not sealed under
// the current key — sealed under an older one, or plaintext written before encryption was on — sealed
// anew under the current key, bound to the same id. A value already under the current key is left
// alone (null), so a second run rewrites nothing. Pure.
import type { Sealer } from './sealer.js'
import { keyIdOf } from './sealer.js'
import {
  SEALED_CHOICE_MEMBERS, SEALED_MESSAGE_MEMBERS, SEALED_SESSION_FIELDS,
  documentKeyId, openContext, openMembers, sealMembers, stepData
} from './sealed-content.js'
import type { SessionBackup } from './backup.js'

/** What rotate-keys rewrites of one session: only values not yet sealed under the current key. */
export interface SessionRewrite {
  session: Record<string, string>
  /** [list index from 0, stored step] */
  steps: Array<[number, string]>
  narrative: Record<string, string>
  choices: Array<[number, string]>
  messages: Array<[number, string]>
  idempotency: Record<string, string>
  finalized: string | null
}

/** A whole value (session field, finalized result, create response) under the current key; null when it is already. */
export function rekeyValue (sealer: Sealer, stored: string, aad: string): string | null {
  if (stored === '' || keyIdOf(stored) === sealer.currentKeyId) return null
  return sealer.seal(sealer.open(stored, aad), aad)
}

/** A stored step ('<saved_at_ms>|<data>') under the current key; null when it is already. */
export function rekeyStep (sealer: Sealer, stored: string, aad: string): string | null {
  if (stored === '') return null
  const data = rekeyValue(sealer, stepData(stored), aad)
  return data === null ? null : `${stored.slice(0, stored.indexOf('|') + 1)}${data}`
}

/** A narrative context document under the current key; null when it is already. */
export function rekeyContext (sealer: Sealer, doc: string, aad: string): string | null {
  if (documentKeyId(doc) === sealer.currentKeyId) return null
  const context = JSON.parse(openContext(sealer, doc, aad)) as { data: unknown }
  return JSON.stringify({ ...context, data: sealer.seal(JSON.stringify(context.data), aad) })
}

/** A document with sealed members (message, choice, snapshot) under the current key; null when it is already or has none. */
export function rekeyDocument (sealer: Sealer, doc: string, sealedMembers: readonly string[], aad: string): string | null {
  if (documentKeyId(doc) === sealer.currentKeyId) return null
  const members = JSON.parse(openMembers(sealer, doc, aad)) as Record<string, unknown>
  if (!sealedMembers.some((member) => member in members)) return null
  return sealMembers(sealer, members, sealedMembers, aad)
}

/** The session idempotency records replay a message, choice or scene document after '<expires_at>|<fingerprint>|<version>|'. */
const RECORD_HEAD = /^\d+\|[^|]*\|\d+\|/
const SESSION_DOCUMENT_MEMBERS = [...SEALED_MESSAGE_MEMBERS, ...SEALED_CHOICE_MEMBERS]

export function rekeyIdempotencyRecord (sealer: Sealer, record: string, aad: string): string | null {
  const head = RECORD_HEAD.exec(record)
  if (head === null) return null
  const doc = rekeyDocument(sealer, record.slice(head[0].length), SESSION_DOCUMENT_MEMBERS, aad)
  return doc === null ? null : `${head[0]}${doc}`
}

/** Everything of one session (as exportSession read it) that rotate-keys rewrites, and how many values that is. */
export function sessionRewrite (sealer: Sealer, backup: SessionBackup): { rewrite: SessionRewrite, values: number } {
  const id = backup.session.id!
  let values = 0
  const rewrite: SessionRewrite = { session: {}, steps: [], narrative: {}, choices: [], messages: [], idempotency: {}, finalized: null }
  const into = (target: Record<string, string>, name: string, value: string | null): void => {
    if (value !== null) { target[name] = value; values++ }
  }
  const at = (target: Array<[number, string]>, index: number, value: string | null): void => {
    if (value !== null) { target.push([index, value]); values++ }
  }
  for (const field of SEALED_SESSION_FIELDS) {
    const stored = backup.session[field]
    // An empty object or list stays as it is (sealSessionField).
    if (stored !== undefined && stored !== '{}' && stored !== '[]') into(rewrite.session, field, rekeyValue(sealer, stored, id))
  }
  backup.steps.forEach((stored, i) => at(rewrite.steps, i, rekeyStep(sealer, stored, id)))
  for (const [type, doc] of Object.entries(backup.narrative)) into(rewrite.narrative, type, rekeyContext(sealer, doc, id))
  backup.choices.forEach((doc, i) => at(rewrite.choices, i, rekeyDocument(sealer, doc, SEALED_CHOICE_MEMBERS, id)))
  backup.messages.forEach((doc, i) => at(rewrite.messages, i, rekeyDocument(sealer, doc, SEALED_MESSAGE_MEMBERS, id)))
  for (const [digest, record] of Object.entries(backup.idempotency)) into(rewrite.idempotency, digest, rekeyIdempotencyRecord(sealer, record, id))
  if (backup.finalized !== null) {
    rewrite.finalized = rekeyValue(sealer, backup.finalized, id)
    if (rewrite.finalized !== null) values++
  }
  return { rewrite, values }
}
