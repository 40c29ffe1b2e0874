// The one door to Lua, in the BullMQ `Scripts` style: each script has one typed method that builds
// its keys and arguments from named fields and decodes its reply into named fields. Repositories call
// these methods; nothing else packs ARGV by position or reads a reply by index.
import type { Keys } from './keys.js'
import { SESSION_KEY_TYPES, SCRIPT_KEY_TYPES } from './keys.js'
import { luaString, type LuaConstants } from './script-loader.js'
import { luaErrorConstants, unwrapScriptReply } from './script-errors.js'
import type { ChangeEvent } from '../domain/events.js'
import { EVENTS_RETAINED, EVENTS_TRIM_SLACK, EVENT_CODES, encodedValues, luaEventConstants } from '../domain/events.js'
import { SLIDE_MAX_LAG_MS, EXPIRY_GRACE_MS, SLOT_KEYS_AHEAD_MS, USER_INDEX_EXTEND_SLACK_MS } from '../domain/ttl.js'
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from '../domain/idempotency.js'
import { FREE_TEXT_FIELDS, LISTED_FIELDS, SESSION_FIELDS, unpackSessionRecord, type SessionRecord } from '../domain/session-record.js'
import { SESSION_SCHEMA_VERSION } from '../domain/migrations.js'
import type { SessionBackup } from '../domain/backup.js'
import type { SessionRewrite } from '../domain/rekey.js'

export type ScriptArg = string | number

/** Every script in lua/, by the name its file gives it (test/redis/scripts.test.ts holds the two together). */
export const SCRIPT_NAMES = [
  'createSession', 'readSession', 'updateSession', 'deleteSession', 'readSummary',
  'saveStep', 'deleteStep', 'readStep', 'readSteps', 'readProgress',
  'putNarrative', 'readNarrative', 'deleteNarrative',
  'enterScene', 'makeChoice', 'readHistory',
  'appendMessage', 'readMessages', 'clearMessages',
  'prepareFinalize', 'completeFinalize', 'settleFinalizedPublish',
  'expireSession', 'dueExpiries', 'readEvents',
  'indexUserSession', 'listUserSessions',
  'rateLimit', 'appendAudit', 'appendFinalized',
  'addProgressSnapshot', 'readProgressSnapshots',
  'reserveIdempotency', 'completeIdempotency',
  'readResult', 'sumLiveCounts', 'addStats', 'exportSession', 'importSession', 'migrateSession',
  'rekeySession', 'rekeyField', 'rekeyFinalized'
] as const
export type ScriptName = typeof SCRIPT_NAMES[number]

/**
 * The scripts that answer a page or a whole document: Redis works on each call for tens to hundreds of
 * µs (a page of 20 sessions ~200 µs), so each is sent the moment it is issued rather than with the rest
 * of its event-loop turn's commands (docs/decisions/0723).
 */
export const LONG_SCRIPTS: ReadonlySet<ScriptName> = new Set<ScriptName>([
  'listUserSessions', 'readSummary', 'readSteps', 'readNarrative', 'readHistory', 'readMessages',
  'readEvents', 'prepareFinalize', 'exportSession', 'readProgressSnapshots'
])

/** Runs a defined script; RedisStore times it, bounds it by `deadline` and classifies transport failures. */
export type ScriptRunner = (name: ScriptName, keys: readonly string[], args: readonly ScriptArg[], deadline?: number) => Promise<unknown>

/** Options that change the generated Lua. */
export interface ScriptOptions {
  /** PUBLISH, or SPUBLISH on a Redis ≥ 7 Cluster (sharded Pub/Sub: the message stays on the session's shard). */
  publishCommand: 'PUBLISH' | 'SPUBLISH'
}

/**
 * How a session script names its keys (docs/decisions/0719): NAMED_SESSION_KEYS(passed) is every key in
 * SESSION_KEY_TYPES order, each passed key (SCRIPT_KEY_TYPES) taken from `passed` and every other one
 * written from its prefix, the session id and the hash key's suffix. Generated as one table constructor
 * with the prefixes as literals: Redis runs a script's chunk on every call, and a table made whole by its
 * constructor costs less than one filled entry by entry or named lazily through a metatable (0719).
 */
function luaSessionKeys (keys: Keys): LuaConstants {
  const [hashPrefix, hashSuffix] = keys.sessionHashParts()
  const prefixes = keys.sessionKeyPrefixes()
  const entries = SESSION_KEY_TYPES.map((type, i) => {
    const position = (SCRIPT_KEY_TYPES as readonly string[]).indexOf(type)
    return position >= 0 ? `passed[${position + 1}]` : `${luaString(prefixes[i]!)} .. id .. ${luaString(hashSuffix)}`
  })
  return {
    SESSION_KEY_COUNT: SESSION_KEY_TYPES.length,
    SCRIPT_KEY_COUNT: SCRIPT_KEY_TYPES.length,
    NAMED_SESSION_KEYS: {
      lua: `function (passed) local id = string.sub(passed[1], ${hashPrefix.length + 1}, ${-(hashSuffix.length + 1)}) return { ${entries.join(', ')} } end`
    }
  }
}

/** The facts the scripts share with TypeScript, declared as Lua constants by the "constants" include. */
export function luaConstants (options: ScriptOptions, keys: Keys): LuaConstants {
  return {
    ...Object.fromEntries(SESSION_KEY_TYPES.map((type, i) => [`K_${type.toUpperCase()}`, i + 1])),
    ...luaSessionKeys(keys),
    SESSION_FIELDS: { lua: `{${SESSION_FIELDS.map(luaString).join(', ')}}` },
    // A session table's SESSION_FIELDS values in order, '' where it has none, made by one constructor
    // (session_packed).
    SESSION_FIELD_VALUES: { lua: `function (s) return { ${SESSION_FIELDS.map((field) => `s[${luaString(field)}] or ''`).join(', ')} } end` },
    LISTED_FIELDS,
    // A listed session's values (the first LISTED_FIELDS): its id, the HMGET reply of the fields between
    // (SESSION_FIELDS 2 … LISTED_FIELDS - 1), and `goals`, each '' where the hash lacks it (0730).
    LISTED_VALUES: { lua: `function (id, read, goals) return { id, ${SESSION_FIELDS.slice(1, LISTED_FIELDS - 1).map((_, i) => `read[${i + 1}] or ''`).join(', ')}, goals or '' } end` },
    SESSION_SCHEMA_VERSION: String(SESSION_SCHEMA_VERSION),
    FREE_TEXT_FIELDS: { lua: `{${FREE_TEXT_FIELDS.map((field) => SESSION_FIELDS.indexOf(field) + 1).join(', ')}}` },
    ...Object.fromEntries(SESSION_FIELDS.map((field, i) => [`R_${field.toUpperCase()}`, i + 1])),
    ...luaErrorConstants(),
    ...luaEventConstants(),
    EVENTS_RETAINED,
    EVENTS_TRIM_SLACK,
    SLIDE_MAX_LAG_MS,
    EXPIRY_GRACE_MS,
    SLOT_KEYS_AHEAD_MS,
    USER_INDEX_EXTEND_SLACK_MS,
    IDEMPOTENCY_TTL_MS,
    /** A session's idempotency hash is pruned of lapsed records once it holds more than this. */
    IDEMPOTENCY_PRUNE_ABOVE: 64,
    PUBLISH_COMMAND: options.publishCommand
  }
}

// ---- reply decoding helpers (the only place replies are read by position) ----

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value))

function flatRecord (flat: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!Array.isArray(flat)) return out
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1])
  return out
}

const strings = (list: unknown): string[] => (Array.isArray(list) ? list.map(str) : [])

/** A session as the scripts answer it: its fields packed into one string (session_packed in includes/session.lua). */
const sessionRecord = (packed: unknown): SessionRecord => unpackSessionRecord(String(packed))

/** Who may be reached: '' for any owner (service and admin keys), else the user id that must own the session. */
export type Owner = string

/** The head every step script answers with: what progress is computed from. */
export interface StepState {
  version: number
  totalSteps: number
  progressUpdatedAtMs: number | null
  /** Hex bitmap of saved steps (bit n-1 = step n). */
  stepsSaved: string
}

function stepState (reply: unknown[]): StepState {
  const updatedAt = str(reply[3])
  return { version: Number(reply[1]), totalSteps: Number(reply[2]), progressUpdatedAtMs: updatedAt === '' ? null : Number(updatedAt), stepsSaved: str(reply[4]) }
}

/** A step script's packed answer (progress_packed in lua/includes/steps.lua): the state and its extra number. */
function packedStepState (reply: unknown[]): StepState & { extra: number } {
  const [version, total, updatedAt, saved, extra] = String(reply[0]).split(',')
  return { version: Number(version), totalSteps: Number(total), progressUpdatedAtMs: updatedAt === '' ? null : Number(updatedAt), stepsSaved: saved ?? '', extra: Number(extra) }
}

/** A write that appended something: what is stored, the session version after it, and whether this call stored it. */
export interface Appended { stored: string, version: number, replayed: boolean }

/** An appending script's answer (appended_reply in lua/includes/idempotency.lua): '<replayed>,<version>,<stored>'. */
function appended (reply: unknown[]): Appended {
  const text = String(reply[0])
  const afterVersion = text.indexOf(',', 2)
  return { stored: text.slice(afterVersion + 1), version: Number(text.slice(2, afterVersion)), replayed: text.startsWith('1,') }
}

const claimArgs = (claim: IdempotencyClaim | undefined): [string, string] => [claim?.digest ?? '', claim?.fingerprint ?? '']

export interface CreateSessionInput {
  userId: string
  workspaceId: string
  kind: string
  state: string
  safetyLevel: string
  /** Stored text (JSON). */
  therapeuticGoals: string
  totalSteps: number
  /** Stored text (JSON). */
  metadata: string
  ttlSeconds: number
  maxLifetimeSeconds: number
  schemaVersion: number
  created: ChangeEvent<'session.created'>
  /** Digest of the global Idempotency-Key record the create answers from ('' for none). */
  idempotencyDigest: string
  /**
   * The user's index, for the script to file a session it creates in (only where `filesOnCreate`); the
   * index keeps it `keepMarginMs` past its absolute expiry. Without it, the caller files it.
   */
  userIndex?: { key: string, keepMarginMs: number }
}

export interface SummaryRead {
  record: SessionRecord
  /** Stored steps by position (element n-1 is step n, '' when not saved). */
  steps: string[]
  narrative: Record<string, string>
  counts: { scenes: number, choices: number, messages: number }
  nowMs: number
}

export type FinalizePrepared =
  | { finalized: false, record: SessionRecord, steps: string[], narrative: Record<string, string>, nowMs: number }
  | { finalized: true, stored: string, leaseTaken: boolean }

/** `position`: where the next page starts; null on a last page that began at the newest (list-user-sessions-1.lua). */
export interface UserSessionsPage { records: SessionRecord[], more: boolean, position: [ms: number, id: string] | null }

export type ExpiryClaim =
  | { outcome: 'expired', userId: string, kind: string, state: string, createdAtMs: number, idempotencyDigest: string }
  | { outcome: 'alive', expiresAtMs: number }
  | { outcome: 'gone' }

export interface SlotDue { earliestMs: number | null, due: Array<[id: string, expiresAtMs: number]> }

/** What an import did with one session. */
export type ImportOutcome =
  | { outcome: 'imported' }
  | { outcome: 'skipped', storedVersion: number }
  | { outcome: 'expired' }

export interface AuditRow { atMs: number, principal: string, action: string, status: number, sessionId: string, requestId: string }

/** Session scripts that never change what a session read answers (a touch only slides the expiry). */
const SESSION_READS: ReadonlySet<ScriptName> = new Set<ScriptName>([
  'readSession', 'readSummary', 'readStep', 'readSteps', 'readProgress', 'readNarrative', 'readHistory',
  'readMessages', 'readEvents', 'readProgressSnapshots', 'dueExpiries', 'readResult', 'exportSession'
])

export class Scripts {
  constructor (
    private readonly run: ScriptRunner,
    private readonly keys: Keys,
    /**
     * Pass a session script every key of the session (a Cluster: Redis then checks them all before the
     * script runs, also while a slot migrates), instead of the three it cannot name itself (0719).
     */
    private readonly passEveryKey = false,
    /** A request's deadline (performance.now() ms) every call of these scripts ends by (docs/decisions/0404). */
    private readonly deadline?: number,
    /** Shared by every deadline-bound copy (`until`). */
    private readonly writeListeners: Array<(sessionId: string) => void> = []
  ) {}

  /** The same scripts, each call bounded by `deadline` (undefined: these, bounded per command only). */
  until (deadline: number | undefined): Scripts {
    return deadline === undefined ? this : new Scripts(this.run, this.keys, this.passEveryKey, deadline, this.writeListeners)
  }

  /**
   * Calls `listener` after every session script that may have changed the session, whatever its
   * outcome (a write that failed or timed out may still have landed): this instance's own writes are
   * known at once, before their announcement comes back over the change channel.
   */
  onSessionWrite (listener: (sessionId: string) => void): void {
    this.writeListeners.push(listener)
  }

  /**
   * Where Redis is one server, a create script files the new session in its user's index itself: POST
   * session is one round trip (docs/decisions/0721). On a Cluster the index lives in another slot.
   */
  get filesOnCreate (): boolean {
    return !this.passEveryKey
  }

  /** `more`: keys a script takes after the session's (only where Redis is one server). */
  private async session (name: ScriptName, id: string, args: readonly ScriptArg[], more?: string): Promise<unknown[]> {
    const sessionKeys = this.passEveryKey ? this.keys.sessionKeys(id) : this.keys.scriptKeys(id)
    const keys = more === undefined ? sessionKeys : [...sessionKeys, more]
    if (this.writeListeners.length === 0 || SESSION_READS.has(name)) return unwrapScriptReply(await this.run(name, keys, args, this.deadline))
    try {
      return unwrapScriptReply(await this.run(name, keys, args, this.deadline))
    } finally {
      for (const listener of this.writeListeners) listener(id)
    }
  }

  private async plain (name: ScriptName, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown[]> {
    return unwrapScriptReply(await this.run(name, keys, args, this.deadline))
  }

  // ---- sessions ----

  async createSession (id: string, input: CreateSessionInput): Promise<{ created: boolean, record: SessionRecord }> {
    const filing = input.userIndex
    if (filing !== undefined && !this.filesOnCreate) throw new Error('createSession: a Cluster files the session in its user\'s index apart (another slot)')
    const reply = await this.session('createSession', id, [
      id, input.userId, input.workspaceId, input.kind, input.state, input.safetyLevel, input.therapeuticGoals,
      input.totalSteps, input.metadata, input.ttlSeconds, input.maxLifetimeSeconds, input.schemaVersion, encodedValues(input.created), input.idempotencyDigest,
      filing?.keepMarginMs ?? ''
    ], filing?.key)
    return { created: reply[0] === 0, record: sessionRecord(reply[1]) }
  }

  async readSession (id: string, input: { owner: Owner, touch: boolean }): Promise<SessionRecord> {
    return sessionRecord((await this.session('readSession', id, [input.owner, input.touch ? '1' : '0', '']))[1])
  }

  /** Like readSession, but answers only the version when the caller already holds it (a conditional read). */
  async readSessionUnless (id: string, input: { owner: Owner, touch: boolean, heldVersion: string }): Promise<{ record: SessionRecord } | { unchanged: number }> {
    const reply = await this.session('readSession', id, [input.owner, input.touch ? '1' : '0', input.heldVersion])
    return reply[0] === 2 ? { unchanged: Number(reply[1]) } : { record: sessionRecord(reply[1]) }
  }

  /** Compare-and-set of a planned PATCH; throws StaleWriteError when the session moved past expectedVersion. */
  async updateSession (id: string, input: { owner: Owner, expectedVersion: number, ifMatch: string, events: ChangeEvent[], fields: Record<string, string> }): Promise<SessionRecord> {
    const args: ScriptArg[] = [input.owner, input.expectedVersion, input.ifMatch, input.events.length]
    for (const event of input.events) args.push(EVENT_CODES[event.type], encodedValues(event))
    for (const [field, value] of Object.entries(input.fields)) args.push(field, value)
    return sessionRecord((await this.session('updateSession', id, args))[1])
  }

  async deleteSession (id: string, input: { owner: Owner, ifMatch: string }): Promise<{ userId: string, idempotencyDigest: string, finalized: boolean }> {
    const reply = await this.session('deleteSession', id, [input.owner, input.ifMatch])
    return { userId: str(reply[1]), idempotencyDigest: str(reply[2]), finalized: str(reply[3]) !== '' }
  }

  async readSummary (id: string, input: { owner: Owner, touch: boolean }): Promise<SummaryRead> {
    const reply = await this.session('readSummary', id, [input.owner, input.touch ? '1' : '0'])
    return {
      record: sessionRecord(reply[1]),
      steps: strings(reply[2]),
      narrative: flatRecord(reply[3]),
      counts: { scenes: Number(reply[4]), choices: Number(reply[5]), messages: Number(reply[6]) },
      nowMs: Number(reply[7])
    }
  }

  // ---- steps ----

  async saveStep (id: string, input: { owner: Owner, ifMatch: string, step: number, data: string }): Promise<StepState & { savedAtMs: number }> {
    const { extra, ...state } = packedStepState(await this.session('saveStep', id, [input.owner, input.ifMatch, input.step, input.data]))
    return { ...state, savedAtMs: extra }
  }

  async deleteStep (id: string, input: { owner: Owner, ifMatch: string, step: number }): Promise<StepState> {
    return packedStepState(await this.session('deleteStep', id, [input.owner, input.ifMatch, input.step]))
  }

  async readStep (id: string, input: { owner: Owner, step: number }): Promise<StepState & { stored: string }> {
    const reply = await this.session('readStep', id, [input.owner, input.step])
    return { ...stepState(reply), stored: str(reply[5]) }
  }

  async readSteps (id: string, input: { owner: Owner, after: number, limit: number }): Promise<StepState & { steps: Array<[step: number, stored: string]>, more: boolean }> {
    const reply = await this.session('readSteps', id, [input.owner, input.after, input.limit])
    const flat = strings(reply[5])
    const steps: Array<[number, string]> = []
    for (let i = 0; i + 1 < flat.length; i += 2) steps.push([Number(flat[i]), flat[i + 1]!])
    return { ...stepState(reply), steps, more: reply[6] === 1 }
  }

  async readProgress (id: string, input: { owner: Owner }): Promise<StepState> {
    return packedStepState(await this.session('readProgress', id, [input.owner]))
  }

  // ---- narrative ----

  async putNarrative (id: string, input: { owner: Owner, ifMatch: string, contextType: string, data: string, ttlSeconds: number }): Promise<{ stored: string, version: number }> {
    const reply = await this.session('putNarrative', id, [input.owner, input.ifMatch, input.contextType, input.data, input.ttlSeconds])
    return { stored: str(reply[1]), version: Number(reply[2]) }
  }

  /** Live contexts by type ('' reads them all; one named context that is not live is not_found). */
  async readNarrative (id: string, input: { owner: Owner, contextType: string }): Promise<{ contexts: Record<string, string>, sessionExpiresAtMs: number, version: number }> {
    const reply = await this.session('readNarrative', id, [input.owner, input.contextType])
    return { contexts: flatRecord(reply[1]), sessionExpiresAtMs: Number(reply[2]), version: Number(reply[3]) }
  }

  async deleteNarrative (id: string, input: { owner: Owner, ifMatch: string, contextType: string }): Promise<{ deleted: number, version: number }> {
    const reply = await this.session('deleteNarrative', id, [input.owner, input.ifMatch, input.contextType])
    return { deleted: Number(reply[1]), version: Number(reply[2]) }
  }

  // ---- scenes and choices ----

  async enterScene (id: string, input: { owner: Owner, ifMatch: string, entryId: string, sceneId: string, fields: string, keep: number, claim?: IdempotencyClaim }): Promise<Appended> {
    return appended(await this.session('enterScene', id, [
      input.owner, input.ifMatch, input.entryId, input.sceneId, input.fields, input.keep, ...claimArgs(input.claim)
    ]))
  }

  async makeChoice (id: string, input: { owner: Owner, ifMatch: string, entryId: string, sceneId: string, choiceId: string, fields: string, keep: number, claim?: IdempotencyClaim }): Promise<Appended> {
    return appended(await this.session('makeChoice', id, [
      input.owner, input.ifMatch, input.entryId, input.sceneId, input.choiceId, input.fields, input.keep, ...claimArgs(input.claim)
    ]))
  }

  async readHistory (id: string, input: { owner: Owner, history: 'scenes' | 'choices', from: number | null, limit: number }): Promise<{ entries: string[], more: boolean }> {
    const reply = await this.session('readHistory', id, [input.owner, input.history, input.from ?? '', input.limit])
    return { entries: strings(reply[1]), more: reply[2] === 1 }
  }

  // ---- messages ----

  async appendMessage (id: string, input: { owner: Owner, ifMatch: string, messageId: string, fields: string, role: string, keep: number, claim?: IdempotencyClaim }): Promise<Appended> {
    return appended(await this.session('appendMessage', id, [
      input.owner, input.ifMatch, input.messageId, input.fields, input.role, input.keep, ...claimArgs(input.claim)
    ]))
  }

  /** A page after a seq, or after a message id (the `after` alias), in the given order. */
  async readMessages (id: string, input: { owner: Owner, afterSeq: number | null, afterId: string | null, order: 'asc' | 'desc', limit: number }): Promise<{ messages: string[], more: boolean }> {
    const reply = await this.session('readMessages', id, [input.owner, input.afterSeq ?? '', input.afterId ?? '', input.order, input.limit])
    return { messages: strings(reply[1]), more: reply[2] === 1 }
  }

  async clearMessages (id: string, input: { owner: Owner, ifMatch: string }): Promise<{ cleared: number, version: number }> {
    const reply = await this.session('clearMessages', id, [input.owner, input.ifMatch])
    return { cleared: Number(reply[1]), version: Number(reply[2]) }
  }

  // ---- finalize ----

  async prepareFinalize (id: string, input: { owner: Owner, ifMatch: string, leaseMs: number }): Promise<FinalizePrepared> {
    const reply = await this.session('prepareFinalize', id, [input.owner, input.ifMatch, input.leaseMs])
    if (reply[0] === 1) return { finalized: true, stored: str(reply[1]), leaseTaken: reply[2] === 1 }
    return { finalized: false, record: sessionRecord(reply[1]), steps: strings(reply[2]), narrative: flatRecord(reply[3]), nowMs: Number(reply[4]) }
  }

  /** Compare-and-set of a built result; throws StaleWriteError when the session moved past expectedVersion. */
  async completeFinalize (id: string, input: { owner: Owner, expectedVersion: number, finalizedAtMs: number, retentionMs: number, result: string, event: ChangeEvent<'session.finalized'>, leaseMs: number }): Promise<{ completed: true } | { completed: false, stored: string }> {
    const reply = await this.session('completeFinalize', id, [
      input.owner, input.expectedVersion, input.finalizedAtMs, input.retentionMs, input.result, encodedValues(input.event), input.leaseMs
    ])
    return reply[0] === 0 ? { completed: true } : { completed: false, stored: str(reply[1]) }
  }

  async settleFinalizedPublish (id: string, outcome: 'published' | 'released'): Promise<void> {
    await this.session('settleFinalizedPublish', id, [outcome])
  }

  /** The stored Finalized result and the session version; not_found while the session is not finalized. */
  async readResult (id: string, input: { owner: Owner }): Promise<{ stored: string, version: number }> {
    const reply = await this.session('readResult', id, [input.owner])
    return { stored: str(reply[1]), version: Number(reply[2]) }
  }

  // ---- events ----

  /** The session's version, the oldest version its log still holds, and the logged events after `after`. */
  async readEvents (id: string, input: { owner: Owner, after: number | null }): Promise<{ version: number, oldestLogged: number, events: string[] }> {
    const reply = await this.session('readEvents', id, [input.owner, input.after ?? ''])
    return { version: Number(reply[1]), oldestLogged: Number(reply[2]), events: strings(reply[3]) }
  }

  // ---- expiry ----

  /** The sweep's claim on a session found due: exactly one call answers `expired` for it. */
  async expireSession (id: string): Promise<ExpiryClaim> {
    const reply = await this.session('expireSession', id, [id])
    if (reply[0] === 2) return { outcome: 'expired', userId: str(reply[1]), kind: str(reply[2]), state: str(reply[3]), createdAtMs: Number(reply[4]), idempotencyDigest: str(reply[5]) }
    if (reply[0] === 1) return { outcome: 'alive', expiresAtMs: Number(reply[1]) }
    return { outcome: 'gone' }
  }

  /** For each slot, the earliest expiry in its index (null when empty) and up to `limit` session ids due at `nowMs`. */
  async dueExpiries (slots: readonly number[], input: { nowMs: number, limit: number }): Promise<SlotDue[]> {
    const reply = await this.plain('dueExpiries', slots.map((slot) => this.keys.expiryIndex(slot)), [input.nowMs, input.limit])
    return reply.map((entry) => {
      const [earliest, flat] = entry as [number, unknown]
      const pairs = strings(flat)
      const due: Array<[string, number]> = []
      for (let i = 0; i + 1 < pairs.length; i += 2) due.push([pairs[i]!, Number(pairs[i + 1])])
      return { earliestMs: earliest < 0 ? null : earliest, due }
    })
  }

  // ---- backups, migrations, stats ----

  /** Everything of one live session at one instant, with the server time; null when gone or expired. */
  async exportSession (id: string): Promise<{ backup: SessionBackup, nowMs: number } | null> {
    const reply = await this.session('exportSession', id, [])
    if (reply[0] !== 1) return null
    const finalized = str(reply[8])
    return {
      backup: {
        // Every field of the hash, as JSON (session_json): a backup restores the hash as it was.
        session: JSON.parse(str(reply[1])) as SessionRecord,
        steps: strings(reply[2]),
        narrative: flatRecord(reply[3]),
        scenes: strings(reply[4]),
        choices: strings(reply[5]),
        messages: strings(reply[6]),
        events: strings(reply[7]),
        finalized: finalized === '' ? null : finalized,
        idempotency: flatRecord(reply[9])
      },
      nowMs: Number(reply[10])
    }
  }

  /** Writes one session of a backup when no live session has its id or the stored one is older. */
  async importSession (backup: SessionBackup, announcement: string): Promise<ImportOutcome> {
    const { session } = backup
    const args: ScriptArg[] = [session.version!, session.expires_at!, announcement]
    const fields = Object.entries(session)
    args.push(fields.length)
    for (const [field, value] of fields) args.push(field, value)
    for (const list of [backup.steps, backup.scenes, backup.choices, backup.messages, backup.events]) {
      args.push(list.length)
      for (const element of list) args.push(element) // a loop: a spread of 100 000 messages would overflow the stack
    }
    for (const hash of [backup.narrative, backup.idempotency]) {
      const entries = Object.entries(hash)
      args.push(entries.length)
      for (const [field, value] of entries) args.push(field, value)
    }
    args.push(backup.finalized ?? '')
    const reply = await this.session('importSession', session.id!, args)
    if (reply[0] === 0) return { outcome: 'imported' }
    if (reply[0] === 1) return { outcome: 'skipped', storedVersion: Number(reply[1]) }
    if (reply[0] === 2) return { outcome: 'expired' }
    throw new Error(`importSession: malformed arguments at ${String(reply[1])}`)
  }

  /**
   * Rewrites a stored session document (set and delete fields) if it is still at the version and
   * schema_version it was read at; throws StaleWriteError when it changed. False when it is gone.
   */
  async migrateSession (id: string, input: { expectedVersion: string, expectedSchemaVersion: string, set: Record<string, string>, remove: string[] }): Promise<boolean> {
    const set = Object.entries(input.set)
    const reply = await this.session('migrateSession', id, [input.expectedVersion, input.expectedSchemaVersion, set.length, ...set.flat(), ...input.remove])
    return reply[0] === 0
  }

  /**
   * Rewrites sealed content of a session (rotate-keys) if it is still at the version it was read at;
   * throws StaleWriteError when it changed. False when it is gone.
   */
  async rekeySession (id: string, input: { expectedVersion: string, rewrite: SessionRewrite }): Promise<boolean> {
    const { rewrite } = input
    const args: ScriptArg[] = [input.expectedVersion]
    for (const group of [rewrite.session, rewrite.steps, rewrite.narrative, rewrite.choices, rewrite.messages, rewrite.idempotency]) {
      const pairs = Array.isArray(group) ? group : Object.entries(group)
      args.push(pairs.length)
      for (const [at, value] of pairs) args.push(at, value)
    }
    args.push(rewrite.finalized ?? '')
    return (await this.session('rekeySession', id, args))[0] === 0
  }

  /** Compare-and-set of one hash field (rotate-keys); false when it changed or is gone since it was read. */
  async rekeyField (key: string, input: { field: string, was: string, value: string }): Promise<boolean> {
    return (await this.plain('rekeyField', [key], [input.field, input.was, input.value]))[0] === 0
  }

  /** Appends a finalized stream entry again with its result sealed anew, and deletes the old one (rotate-keys). */
  async rekeyFinalized (input: { entryId: string, was: string, value: string }): Promise<boolean> {
    return (await this.plain('rekeyFinalized', [this.keys.finalizedStream()], [input.entryId, input.was, input.value]))[0] === 0
  }

  /** The live-session counters of these slots, summed (one server only: the keys span slots). */
  async sumLiveCounts (slots: readonly number[]): Promise<Record<string, number>> {
    const flat = await this.plain('sumLiveCounts', slots.map((slot) => this.keys.liveCounts(slot)), [])
    const totals: Record<string, number> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) totals[str(flat[i])] = Number(flat[i + 1])
    return totals
  }

  /** Adds counts to one UTC day's stats hash and keeps it until keepUntilMs. */
  async addStats (utcDate: string, input: { keepUntilMs: number, counts: Record<string, number> }): Promise<void> {
    const args: ScriptArg[] = [input.keepUntilMs]
    for (const [field, count] of Object.entries(input.counts)) args.push(field, count)
    await this.plain('addStats', [this.keys.stats(utcDate)], args)
  }

  // ---- users ----

  /** Files a session under its user (`keepScore`: an entry already there keeps its score). */
  async indexUserSession (userId: string, input: { sessionId: string, createdAtMs: number, keepUntilMs: number, keepScore?: boolean }): Promise<void> {
    await this.plain('indexUserSession', [this.keys.userSessions(userId)], [input.sessionId, input.createdAtMs, input.keepUntilMs, input.keepScore === true ? 'NX' : ''])
  }

  /** One page of the user's sessions read in one script (standalone and Sentinel only: see the script). */
  async listUserSessions (userId: string, input: { owner: Owner, after: [number, string] | null, limit: number, state: string, kind: string, budget: number }): Promise<UserSessionsPage> {
    const [prefix, suffix] = this.keys.sessionHashParts()
    const reply = await this.plain('listUserSessions', [this.keys.userSessions(userId)], [
      prefix, suffix, input.owner, input.after?.[0] ?? '', input.after?.[1] ?? '', input.limit, input.state, input.kind, input.budget
    ])
    const at = str(reply[3])
    return {
      records: (reply[1] as unknown[]).map((packed) => unpackSessionRecord(String(packed), LISTED_FIELDS)),
      more: reply[2] === 1,
      position: at === '' ? null : [Number(at), str(reply[4])]
    }
  }

  // ---- global ----

  /** Adds `add` requests to the subject's counter of `window`; the total every instance counted. */
  async rateLimit (subject: string, window: number, input: { add: number, windowMs: number }): Promise<number> {
    return Number((await this.plain('rateLimit', [this.keys.rateLimit(subject, window)], [input.add, input.windowMs]))[0])
  }

  async appendAudit (utcDate: string, input: { retentionSeconds: number, rows: AuditRow[] }): Promise<void> {
    const args: ScriptArg[] = [input.retentionSeconds]
    for (const row of input.rows) args.push(row.atMs, row.principal, row.action, row.status, row.sessionId, row.requestId)
    await this.plain('appendAudit', [this.keys.audit(utcDate)], args)
  }

  async appendFinalized (input: { maxLength: number, retentionMs: number, sessionId: string, finalizedAt: string, result: string }): Promise<void> {
    await this.plain('appendFinalized', [this.keys.finalizedStream()], [input.maxLength, input.retentionMs, input.sessionId, input.finalizedAt, input.result])
  }

  async addProgressSnapshot (userId: string, input: { snapshotId: string, fields: string, retentionMs: number, schemaVersion: number }): Promise<{ stored: string, replayed: boolean }> {
    const reply = await this.plain('addProgressSnapshot', [this.keys.userProgress(userId), this.keys.userProgressDocs(userId)],
      [input.snapshotId, input.fields, input.retentionMs, input.schemaVersion])
    return { stored: str(reply[1]), replayed: reply[0] === 1 }
  }

  async readProgressSnapshots (userId: string, input: { retentionMs: number, limit: number, after: [number, string] | null }): Promise<{ snapshots: string[], more: boolean }> {
    const reply = await this.plain('readProgressSnapshots', [this.keys.userProgress(userId), this.keys.userProgressDocs(userId)],
      [input.retentionMs, input.limit, input.after?.[0] ?? '', input.after?.[1] ?? ''])
    return { snapshots: strings(reply[1]).filter((s) => s !== ''), more: reply[2] === 1 }
  }

  /** Reserves a global Idempotency-Key record (requests outside any session). */
  async reserveIdempotency (claim: IdempotencyClaim, candidateId: string): Promise<{ state: 'new' | 'unfinished', resourceId: string } | { state: 'finished', resourceId: string, response: string }> {
    const reply = await this.plain('reserveIdempotency', [this.keys.idempotency(claim.digest)], [claim.fingerprint, candidateId, IDEMPOTENCY_TTL_MS])
    if (reply[0] === 1) return { state: 'finished', resourceId: str(reply[1]), response: str(reply[2]) }
    return { state: reply[0] === 0 ? 'new' : 'unfinished', resourceId: str(reply[1]) }
  }

  /** Stores the response; the record then expires at `keepUntilMs` if that is before its 24 h. */
  async completeIdempotency (claim: IdempotencyClaim, response: string, keepUntilMs?: number): Promise<boolean> {
    return (await this.plain('completeIdempotency', [this.keys.idempotency(claim.digest)], [claim.fingerprint, response, keepUntilMs ?? '']))[0] === 1
  }
}
