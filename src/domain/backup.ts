// The backup format of `GET /v1/admin/export`, `POST /v1/admin/import` and `npx sessiond export|import`
// (contract §9, docs/decisions/0801): NDJSON, a header line, one line per session carrying its stored
// representation (the session hash and every key under it, byte for byte), and an end line with the
// count. Pure: builds lines, and checks a session line completely before anything of it is written.
import { SESSION_KINDS, SESSION_STATES, SAFETY_LEVELS, MAX_THERAPEUTIC_GOALS } from '../../schemas/session.js'
import { ID_PATTERN, SHORT_TEXT_MAX_CHARS, USER_ID_PATTERN } from '../../schemas/common.js'
import { BACKUP_LIMITS } from '../../schemas/admin.js'
import type { SessionRecord } from './session-record.js'
import { EVENT_CODES } from './events.js'
import { isoFromMs } from './time.js'
import { isSealed, keyIdOf } from './sealer.js'
import { documentKeyId, stepData } from './sealed-content.js'

export const EXPORT_FORMAT = 'sessiond-export'
export const EXPORT_FORMAT_VERSION = 1

/** Everything of one session as Redis stores it (storage layout v2, docs/decisions/0700). */
export interface SessionBackup {
  /** The session hash: every field a string. */
  session: SessionRecord
  /** Element n-1 is step n: '<saved_at_ms>|<data JSON>', '' when not saved. */
  steps: string[]
  /** context_type → '{"expires_at":<ms>,"updated_at":<ms>,"data":{…}}' (each context carries its own expiry). */
  narrative: Record<string, string>
  scenes: string[]
  choices: string[]
  /** Oldest first; seqs message_seq − length + 1 … message_seq. */
  messages: string[]
  /** The capped event log, oldest first: '[version, at_ms, code, …values]'. */
  events: string[]
  /** The stored Finalized result (JSON), null before finalize. */
  finalized: string | null
  /** Idempotency-Key records of requests under the session: scope digest → '<expires_at_ms>|<fingerprint>|<version>|<response>'. */
  idempotency: Record<string, string>
}

export interface ExportHeader {
  format: typeof EXPORT_FORMAT
  format_version: typeof EXPORT_FORMAT_VERSION
  exported_at: string
  source: { key_system: string, key_env: string }
  /** With encryption at rest on (contract §13): the key ids of the exporting key ring (values are carried sealed, as stored). */
  encryption?: { key_ids: string[] }
}

/** Session fields that are bookkeeping of one Redis, not data: never exported, rebuilt by the import. */
const LOCAL_FIELDS = ['keys', 'finalized_publish_lease', 'steps_saved']

export function headerLine (nowMs: number, source: { system: string, env: string }, keyIds: readonly string[] = []): string {
  const header: ExportHeader = {
    format: EXPORT_FORMAT, format_version: EXPORT_FORMAT_VERSION, exported_at: isoFromMs(nowMs)!, source: { key_system: source.system, key_env: source.env }
  }
  if (keyIds.length > 0) header.encryption = { key_ids: [...keyIds] }
  return `${JSON.stringify(header)}\n`
}

/** The end line; `keyIds`: the key ids the exported values are sealed under (an import needs each of them). */
export const endLine = (sessions: number, keyIds: readonly string[] = []): string =>
  `${JSON.stringify(keyIds.length > 0 ? { end: true, sessions, key_ids: [...keyIds] } : { end: true, sessions })}\n`

/** The key ids the sealed values of one stored session name (contract §13): what restoring it needs. */
export function backupKeyIds (backup: SessionBackup): Set<string> {
  const ids = new Set<string>()
  const add = (id: string | null): void => { if (id !== null) ids.add(id) }
  add(keyIdOf(backup.session.metadata ?? ''))
  add(keyIdOf(backup.session.therapeutic_goals ?? ''))
  for (const step of backup.steps) if (step !== '') add(keyIdOf(stepData(step)))
  for (const doc of Object.values(backup.narrative)) add(documentKeyId(doc))
  for (const doc of backup.choices) add(documentKeyId(doc))
  for (const doc of backup.messages) add(documentKeyId(doc))
  if (backup.finalized !== null) add(keyIdOf(backup.finalized))
  for (const record of Object.values(backup.idempotency)) add(documentKeyId(record))
  return ids
}

export const errorLine = (code: string, detail: string): string => `${JSON.stringify({ error: { code, detail } })}\n`

/** One session line. `ttl_ms` and `narrative_ttl_ms` are the remaining times at export (informational: expiry is absolute). */
export function sessionLine (backup: SessionBackup, nowMs: number): string {
  const session: SessionRecord = {}
  for (const [field, value] of Object.entries(backup.session)) if (!LOCAL_FIELDS.includes(field)) session[field] = value
  const narrativeTtl: Record<string, number> = {}
  for (const [type, raw] of Object.entries(backup.narrative)) narrativeTtl[type] = Math.max(0, contextExpiresAt(raw) - nowMs)
  return `${JSON.stringify({
    session,
    ttl_ms: Math.max(0, Number(backup.session.expires_at) - nowMs),
    steps: backup.steps,
    narrative: backup.narrative,
    narrative_ttl_ms: narrativeTtl,
    scenes: backup.scenes,
    choices: backup.choices,
    messages: backup.messages,
    events: backup.events,
    finalized: backup.finalized,
    idempotency: backup.idempotency
  })}\n`
}

function contextExpiresAt (raw: string): number {
  try {
    const expiresAt = (JSON.parse(raw) as { expires_at?: unknown }).expires_at
    return typeof expiresAt === 'number' ? expiresAt : 0
  } catch {
    return 0
  }
}

// ---- reading lines back ----

/** Why one line of an import was refused; `code` appears in the import report. */
export class BackupLineError extends Error {
  constructor (readonly code: 'invalid_json' | 'invalid_line' | 'invalid_session' | 'line_too_long', detail: string) {
    super(detail)
    this.name = 'BackupLineError'
  }
}

export type BackupLine =
  | { kind: 'header', header: ExportHeader }
  | { kind: 'session', backup: SessionBackup }
  | { kind: 'end', sessions: number }
  | { kind: 'error', code: string, detail: string }

const INTEGER = /^\d{1,16}$/
const id = new RegExp(ID_PATTERN)
const userId = new RegExp(USER_ID_PATTERN)
const contextType = /^[a-z][a-z0-9_]{0,63}$/
const digest = /^[A-Za-z0-9_-]{1,128}$/
const storedStep = /^(\d{1,16})\|/
const idempotencyRecord = /^\d{1,16}\|[^|]*\|\d{1,16}\|/
const EVENT_CODE_VALUES = new Set(Object.values(EVENT_CODES))

/**
 * An empty object without a prototype, for names that come from a backup: looking one up never finds an
 * inherited property (`valueOf`, `constructor`), and writing `__proto__` stores an entry like any other.
 */
const byName = <T>(): Record<string, T> => Object.create(null) as Record<string, T>

/** Fields the scripts store in a session hash (and `goals`, of schema_version 1 documents). */
type FieldCheck = (value: string) => boolean
const SESSION_FIELDS: Readonly<Record<string, FieldCheck>> = Object.assign(byName<FieldCheck>(), {
  id: (v) => id.test(v),
  user_id: (v) => userId.test(v),
  workspace_id: (v) => v === '' || userId.test(v),
  kind: (v) => (SESSION_KINDS as readonly string[]).includes(v),
  state: (v) => (SESSION_STATES as readonly string[]).includes(v),
  safety_level: (v) => (SAFETY_LEVELS as readonly string[]).includes(v),
  therapeutic_goals: (v) => isSealed(v) || isGoals(v),
  goals: () => true,
  current_scene_id: (v) => v.length <= 256,
  total_steps: (v) => INTEGER.test(v) && Number(v) >= 1 && Number(v) <= 100,
  metadata: (v) => isSealed(v) || isJson(v, 'object'),
  ttl_seconds: (v) => INTEGER.test(v) && Number(v) >= 1,
  version: (v) => INTEGER.test(v) && Number(v) >= 1,
  schema_version: (v) => INTEGER.test(v) && Number(v) >= 1,
  created_at: (v) => INTEGER.test(v),
  updated_at: (v) => INTEGER.test(v),
  expires_at: (v) => INTEGER.test(v),
  absolute_expires_at: (v) => INTEGER.test(v),
  completed_at: (v) => v === '' || INTEGER.test(v),
  message_seq: (v) => INTEGER.test(v),
  progress_updated_at: (v) => v === '' || INTEGER.test(v),
  finalized_published: (v) => v === '0' || v === '1',
  // The create's global Idempotency-Key record (not in a backup: the key is deleted with the session if present).
  idempotency_digest: (v) => digest.test(v),
  // Bookkeeping of the Redis it came from: accepted, and dropped (or rebuilt) by the import.
  keys: () => true,
  finalized_publish_lease: () => true,
  steps_saved: (v) => /^[0-9a-f]{0,25}$/.test(v)
} satisfies Record<string, FieldCheck>)
const REQUIRED_FIELDS = ['id', 'user_id', 'kind', 'state', 'version', 'created_at', 'updated_at', 'expires_at', 'absolute_expires_at', 'ttl_seconds', 'total_steps']

function isJson (text: string, type: 'object' | 'array'): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return type === 'array' ? Array.isArray(value) : value !== null && typeof value === 'object' && !Array.isArray(value)
  } catch {
    return false
  }
}

/** Goals as the API takes them: a JSON array of at most MAX_THERAPEUTIC_GOALS strings of at most SHORT_TEXT_MAX_CHARS. */
function isGoals (text: string): boolean {
  let goals: unknown
  try { goals = JSON.parse(text) } catch { return false }
  return Array.isArray(goals) && goals.length <= MAX_THERAPEUTIC_GOALS &&
    goals.every((goal) => typeof goal === 'string' && goal.length <= SHORT_TEXT_MAX_CHARS)
}

/**
 * The stored JSON fields (metadata, goals) in the text JSON.stringify writes, as every write of the API
 * stores them: the user listing answers them as stored (docs/decisions/0726), so a backup's own spacing
 * or key order is not kept. Sealed values are sessiond's own and stay as they are.
 */
const CANONICAL_JSON_FIELDS = new Set(['metadata', 'therapeutic_goals'])

function parseJsonAt (text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new BackupLineError('invalid_session', `${where} is not JSON`)
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)
const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

function strings (value: unknown, where: string, limits: { items: number, chars: number }): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new BackupLineError('invalid_session', `${where} must be an array of strings`)
  }
  if (value.length > limits.items) throw new BackupLineError('invalid_session', `${where} has more than ${limits.items} entries`)
  const long = value.findIndex((item: string) => item.length > limits.chars)
  if (long !== -1) throw new BackupLineError('invalid_session', `${where}[${long}] is longer than ${limits.chars} characters`)
  return value as string[]
}

function stringMap (value: unknown, where: string, key: RegExp): Record<string, string> {
  if (!isRecord(value)) throw new BackupLineError('invalid_session', `${where} must be an object of strings`)
  const out = byName<string>()
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new BackupLineError('invalid_session', `${where}.${name} must be a string`)
    if (!key.test(name)) throw new BackupLineError('invalid_session', `${where} has an invalid name "${name.slice(0, 80)}"`)
    out[name] = item
  }
  return out
}

function sessionRecord (value: unknown): SessionRecord {
  if (!isRecord(value)) throw new BackupLineError('invalid_session', 'session must be an object of strings')
  if (JSON.stringify(value).length > BACKUP_LIMITS.sessionBytes) throw new BackupLineError('invalid_session', `session is larger than ${BACKUP_LIMITS.sessionBytes} bytes`)
  const record: SessionRecord = byName()
  for (const [field, item] of Object.entries(value)) {
    const check = SESSION_FIELDS[field]
    if (check === undefined) throw new BackupLineError('invalid_session', `session.${field.slice(0, 80)} is not a session field`)
    if (typeof item !== 'string' || !check(item)) throw new BackupLineError('invalid_session', `session.${field} is not valid`)
    record[field] = CANONICAL_JSON_FIELDS.has(field) && !isSealed(item) ? JSON.stringify(JSON.parse(item)) : item
  }
  for (const field of REQUIRED_FIELDS) {
    if (record[field] === undefined) throw new BackupLineError('invalid_session', `session.${field} is missing`)
  }
  return record
}

/** A history (scenes, choices): JSON objects with an id and increasing indexes. */
function history (value: unknown, where: string): string[] {
  const entries = strings(value, where, BACKUP_LIMITS.history)
  let previous = -1
  entries.forEach((raw, i) => {
    const entry = parseJsonAt(raw, `${where}[${i}]`)
    if (!isRecord(entry) || !isInteger(entry.index) || typeof entry.id !== 'string' || entry.index <= previous) {
      throw new BackupLineError('invalid_session', `${where}[${i}] must be an entry with an id and an index above the one before`)
    }
    previous = entry.index
  })
  return entries
}

/** The hex bitmap of saved steps (bit n-1 = step n), as lua/includes/steps.lua keeps it. */
export function stepsBitmap (steps: readonly string[]): string {
  const nibbles: number[] = []
  steps.forEach((stored, i) => {
    if (stored === '') return
    const index = Math.floor(i / 4)
    while (nibbles.length <= index) nibbles.push(0)
    nibbles[index]! |= 1 << (i % 4)
  })
  return nibbles.map((n) => n.toString(16)).join('')
}

/** Checks a session line completely and returns what to write: the stored representation, rebuilt where it is local. */
export function sessionBackupFrom (line: Record<string, unknown>): SessionBackup {
  const session = sessionRecord(line.session)
  const total = Number(session.total_steps)

  const steps = strings(line.steps ?? [], 'steps', BACKUP_LIMITS.steps)
  if (steps.length > total) throw new BackupLineError('invalid_session', `steps has ${steps.length} entries for ${total} total_steps`)
  steps.forEach((stored, i) => {
    if (stored === '') return
    const match = storedStep.exec(stored)
    if (match === null || (!isSealed(stored.slice(match[0].length)) && !isRecord(parseJsonAt(stored.slice(match[0].length), `steps[${i}]`)))) {
      throw new BackupLineError('invalid_session', `steps[${i}] must be '<saved_at_ms>|<JSON object>' or ''`)
    }
  })

  const narrative = stringMap(line.narrative ?? {}, 'narrative', contextType)
  for (const [type, raw] of Object.entries(narrative)) {
    const context = parseJsonAt(raw, `narrative.${type}`)
    if (!isRecord(context) || !isInteger(context.expires_at) || !isInteger(context.updated_at) || !(isRecord(context.data) || (typeof context.data === 'string' && isSealed(context.data)))) {
      throw new BackupLineError('invalid_session', `narrative.${type} must hold expires_at, updated_at and data`)
    }
  }

  const scenes = history(line.scenes ?? [], 'scenes')
  const choices = history(line.choices ?? [], 'choices')

  const messages = strings(line.messages ?? [], 'messages', BACKUP_LIMITS.messages)
  const lastSeq = Number(session.message_seq ?? 0)
  messages.forEach((raw, i) => {
    const message = parseJsonAt(raw, `messages[${i}]`)
    const seq = lastSeq - messages.length + 1 + i
    if (!isRecord(message) || typeof message.id !== 'string' || message.seq !== seq) {
      throw new BackupLineError('invalid_session', `messages[${i}] must be a message with seq ${seq} (seqs end at session.message_seq)`)
    }
  })

  const events = strings(line.events ?? [], 'events', BACKUP_LIMITS.events)
  events.forEach((raw, i) => {
    const event = parseJsonAt(raw, `events[${i}]`)
    if (!Array.isArray(event) || !isInteger(event[0]) || !isInteger(event[1]) || !EVENT_CODE_VALUES.has(event[2] as number)) {
      throw new BackupLineError('invalid_session', `events[${i}] must be [version, at_ms, event code, …]`)
    }
  })

  const finalized = line.finalized ?? null
  if (finalized !== null && (typeof finalized !== 'string' || (!isSealed(finalized) && !isRecord(parseJsonAt(finalized, 'finalized'))))) {
    throw new BackupLineError('invalid_session', 'finalized must be the stored result (a JSON object as a string) or null')
  }
  if ((session.state === 'completed') !== (finalized !== null)) {
    throw new BackupLineError('invalid_session', 'a completed session, and only a completed one, carries its finalized result')
  }

  const idempotency = stringMap(line.idempotency ?? {}, 'idempotency', digest)
  for (const [name, record] of Object.entries(idempotency)) {
    if (!idempotencyRecord.test(record)) throw new BackupLineError('invalid_session', `idempotency.${name} is not a stored record`)
  }

  // What belongs to the Redis it came from is rebuilt here: which keys exist, the publish lease, the step bitmap.
  const { keys: _keys, finalized_publish_lease: _lease, ...rest } = session
  return {
    session: { ...rest, steps_saved: stepsBitmap(steps) },
    steps, narrative, scenes, choices, messages, events, finalized: finalized as string | null, idempotency
  }
}

/** Parses one line of an export (header, session, end, error); throws BackupLineError. */
export function parseBackupLine (text: string): BackupLine {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BackupLineError('invalid_json', 'the line is not JSON')
  }
  if (!isRecord(value)) throw new BackupLineError('invalid_line', 'the line is not a JSON object')
  if ('session' in value) return { kind: 'session', backup: sessionBackupFrom(value) }
  if (value.end === true) {
    if (!isInteger(value.sessions)) throw new BackupLineError('invalid_line', 'the end line must count its sessions')
    return { kind: 'end', sessions: value.sessions }
  }
  if ('format' in value) {
    if (value.format !== EXPORT_FORMAT) throw new BackupLineError('invalid_line', `format must be "${EXPORT_FORMAT}"`)
    if (value.format_version !== EXPORT_FORMAT_VERSION) {
      throw new BackupLineError('invalid_line', `format_version ${String(value.format_version)} is not one this version reads (${EXPORT_FORMAT_VERSION})`)
    }
    return { kind: 'header', header: value as unknown as ExportHeader }
  }
  if (isRecord(value.error)) return { kind: 'error', code: String(value.error.code), detail: String(value.error.detail) }
  throw new BackupLineError('invalid_line', 'the line is neither a header, a session, an end nor an error line')
}

/**
 * What an import announces when it replaces a stored session: the newest change of the imported log
 * (event streams deliver it, read caches drop the session), or a bare session.updated when the log is empty.
 */
export function importAnnouncement (backup: SessionBackup): string {
  const version = Number(backup.session.version)
  const newest = backup.events.filter((raw) => (JSON.parse(raw) as number[])[0] === version)
  if (newest.length > 0) return newest.join('\n')
  return JSON.stringify([version, Number(backup.session.updated_at), EVENT_CODES['session.updated'], []])
}

/** Until when the user index keeps the session: the latest moment it can exist. */
export const aliveUntilMs = (backup: SessionBackup): number =>
  Math.max(Number(backup.session.absolute_expires_at), Number(backup.session.expires_at))
