// Which parts of each stored shape are sealed (contract §13), and how they are sealed and opened. Pure.
// Every function takes the Sealer or null (encryption off), and with null does nothing but that check.
// Ids, states, versions, counters and timestamps stay plaintext: the Lua scripts read them.
//
// Three stored shapes:
// - whole values (session fields metadata and therapeutic_goals, the data after '<saved_at_ms>|' of a
//   step, a finalized result, a stored Idempotency-Key response): the sealed value itself;
// - JSON documents that the scripts complete with ids and times (messages, choices, progress snapshots):
//   the content members are replaced by one last member "sealed" whose plaintext is a JSON object of them;
// - narrative contexts ({"expires_at","updated_at","data"}): "data" is the sealed value, a JSON string.
// A sealed member is always the document's last member (the scripts append the fields they are given
// last), so it is found from the end without parsing; a document without one is plaintext.
import { type Sealer, isSealed, keyIdOf } from './sealer.js'
import type { SessionRecord } from './session-record.js'

export type MaybeSealer = Sealer | null

/**
 * What one write sealed: each sealed text → the id it is bound to and its plaintext. The write's own
 * answer holds those sealed texts again (the script stored what it was given and answers it), and opens
 * them from here instead of decrypting what it encrypted a moment before (docs/decisions/0724, note).
 * The map goes with the request. Any other text, or the same text under another id, goes to Sealer.open.
 */
export type Sealings = Map<string, { aad: string, plaintext: string }>

/** A write's Sealings: none with encryption off, where nothing is sealed. */
export const sealingsFor = (sealer: MaybeSealer): Sealings | undefined => sealer === null ? undefined : new Map()

const sealNoting = (sealer: Sealer, plaintext: string, aad: string, sealings: Sealings | undefined): string => {
  const sealed = sealer.seal(plaintext, aad)
  sealings?.set(sealed, { aad, plaintext })
  return sealed
}

function openNoted (sealer: Sealer, stored: string, aad: string, sealings: Sealings | undefined): string {
  const noted = sealings?.get(stored)
  return noted !== undefined && noted.aad === aad ? noted.plaintext : sealer.open(stored, aad)
}

/** The session hash fields that are sealed. */
export const SEALED_SESSION_FIELDS = ['metadata', 'therapeutic_goals'] as const
/** The members of a message document that are sealed. */
export const SEALED_MESSAGE_MEMBERS = ['content', 'metadata']
/** The members of a choice entry that are sealed. */
export const SEALED_CHOICE_MEMBERS = ['data']
/** The members of a progress snapshot document that are sealed (its contents; bound to the user id). */
export const SEALED_SNAPSHOT_MEMBERS = ['metrics', 'skills_developed', 'milestones_achieved']

/** The member of a message, choice or snapshot document holding its sealed content. */
const SEALED_MEMBER = 'sealed'
const TOKEN_CHARS = /^[A-Za-z0-9._-]+$/

export function sealValue (sealer: MaybeSealer, plaintext: string, aad: string): string {
  return sealer === null ? plaintext : sealer.seal(plaintext, aad)
}

/**
 * A session field as stored: sealed, except an empty object or list (most sessions have no metadata
 * or goals): it holds nothing, a sealed one would show its emptiness by its length anyway, and every read
 * of the session is spared opening it.
 */
export function sealSessionField (sealer: MaybeSealer, json: string, id: string, sealings?: Sealings): string {
  return sealer === null || json === '{}' || json === '[]' ? json : sealNoting(sealer, json, id, sealings)
}

export function openValue (sealer: MaybeSealer, stored: string, aad: string): string {
  return sealer === null ? stored : sealer.open(stored, aad)
}

// ---- sessions ----

/** Stored session fields to write, with the sealed ones sealed (a new object; `fields` is not changed). */
export function sealSessionFields (sealer: MaybeSealer, fields: Record<string, string>, id: string, sealings?: Sealings): Record<string, string> {
  if (sealer === null) return fields
  const sealed = { ...fields }
  for (const field of SEALED_SESSION_FIELDS) {
    const value = sealed[field]
    if (value !== undefined && !isSealed(value)) sealed[field] = sealSessionField(sealer, value, id, sealings)
  }
  return sealed
}

/** A stored session record with its sealed fields opened (those this write sealed, from `sealings`). */
export function openSessionRecord (sealer: MaybeSealer, record: SessionRecord, sealings?: Sealings): SessionRecord {
  if (sealer === null) return record
  let opened: SessionRecord | undefined
  for (const field of SEALED_SESSION_FIELDS) {
    const value = record[field]
    if (value !== undefined && isSealed(value)) {
      opened ??= { ...record }
      opened[field] = openNoted(sealer, value, record.id!, sealings)
    }
  }
  return opened ?? record
}

// ---- steps: '<saved_at_ms>|<data JSON>' ----

export function sealStepData (sealer: MaybeSealer, json: string, id: string): string {
  return sealer === null ? json : sealer.seal(json, id)
}

export function openStep (sealer: MaybeSealer, stored: string, id: string): string {
  if (sealer === null) return stored
  const bar = stored.indexOf('|')
  if (bar < 0 || stored.charCodeAt(bar + 1) !== 1) return stored
  return stored.slice(0, bar + 1) + sealer.open(stored.slice(bar + 1), id)
}

export function openSteps (sealer: MaybeSealer, stored: string[], id: string): string[] {
  return sealer === null ? stored : stored.map((value) => (value === '' ? value : openStep(sealer, value, id)))
}

// ---- documents with a sealed last member ----

/**
 * The fields object a script completes into a document: `fields` as JSON, or with encryption on the
 * members named in `sealedKeys` replaced by one last member "sealed" holding them.
 */
export function sealMembers (sealer: MaybeSealer, fields: Record<string, unknown>, sealedKeys: readonly string[], aad: string, sealings?: Sealings): string {
  if (sealer === null) return JSON.stringify(fields)
  const plain: Record<string, unknown> = {}
  const content: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) (sealedKeys.includes(key) ? content : plain)[key] = value
  plain[SEALED_MEMBER] = sealNoting(sealer, JSON.stringify(content), aad, sealings)
  return JSON.stringify(plain)
}

/** Where a document's last member `member` holds a sealed JSON string: [start of the member, the sealed value], else null. */
function lastSealedMember (doc: string, member: string): [at: number, sealed: string] | null {
  if (!doc.endsWith('"}')) return null
  const marker = `"${member}":"\\u0001`
  const at = doc.lastIndexOf(marker)
  if (at < 0) return null
  const token = doc.slice(at + marker.length, -2)
  return TOKEN_CHARS.test(token) ? [at, `\u0001${token}`] : null
}

/** The key id of the sealed member of a stored document (message, choice, snapshot, narrative context), null when plaintext. */
export function documentKeyId (doc: string): string | null {
  const found = lastSealedMember(doc, SEALED_MEMBER) ?? lastSealedMember(doc, 'data')
  return found === null ? null : keyIdOf(found[1])
}

/** The sealed value of a stored step ('<saved_at_ms>|<data>'), or the data when plaintext. */
export const stepData = (stored: string): string => stored.slice(stored.indexOf('|') + 1)

/** A message, choice or snapshot document with its sealed member opened back into its members (from `sealings` when this write sealed it). */
export function openMembers (sealer: MaybeSealer, doc: string, aad: string, sealings?: Sealings): string {
  if (sealer === null) return doc
  const found = lastSealedMember(doc, SEALED_MEMBER)
  if (found === null) return doc
  const inner = openNoted(sealer, found[1], aad, sealings).slice(1, -1)
  const head = doc.slice(0, found[0])
  if (inner !== '') return `${head}${inner}}`
  return `${head.endsWith(',') ? head.slice(0, -1) : head}}`
}

export function openMembersList (sealer: MaybeSealer, docs: string[], aad: string): string[] {
  return sealer === null ? docs : docs.map((doc) => openMembers(sealer, doc, aad))
}

// ---- narrative contexts: {"expires_at","updated_at","data"} ----

/** The `data` a script stores in a context: the JSON object, or with encryption on a JSON string of it sealed. */
export function sealContextData (sealer: MaybeSealer, json: string, id: string): string {
  return sealer === null ? json : JSON.stringify(sealer.seal(json, id))
}

export function openContext (sealer: MaybeSealer, doc: string, id: string): string {
  if (sealer === null) return doc
  const found = lastSealedMember(doc, 'data')
  return found === null ? doc : `${doc.slice(0, found[0])}"data":${sealer.open(found[1], id)}}`
}

export function openContexts (sealer: MaybeSealer, contexts: Record<string, string>, id: string): Record<string, string> {
  if (sealer === null) return contexts
  const opened: Record<string, string> = {}
  for (const [type, doc] of Object.entries(contexts)) opened[type] = openContext(sealer, doc, id)
  return opened
}
