// The one key builder. Every Redis key of sessiond is made here and has the form
//   <scope>:<system>:<environment>:<type>:{<identifier>}:v<version>[:<suffix>]
// The identifier is a hash tag so all keys of one session (or one user, or one day) share a Cluster slot.
import { createHash } from 'node:crypto'
import clusterKeySlot from 'cluster-key-slot'
import { setNewest } from '../domain/bounded-map.js'

export type KeyScope = 'session' | 'user' | 'global'

export interface KeySettings { system: string, env: string }

/**
 * The keys every session script receives, in this order (the Lua constants K_SESSION, K_STEPS … are
 * generated from this list by the script loader). `expiry`, `live` and `changes` are not the session's
 * own keys but its slot's expiry index, its slot's live-session counters, and its change channel, all in
 * the session's slot.
 */
export const SESSION_KEY_TYPES = [
  'session', 'steps', 'narrative', 'scenes', 'choices', 'messages', 'events', 'finalized', 'idempotency', 'expiry', 'live', 'changes'
] as const
export type SessionKeyType = typeof SESSION_KEY_TYPES[number]

const SLOT_KEY_TYPES: readonly SessionKeyType[] = ['expiry', 'live', 'changes']

/**
 * The keys a session script is passed where Redis is one server (docs/decisions/0719; a Cluster passes
 * them all): the session hash, which names the session, and the two slot keys whose names depend on the
 * slot (a CRC16 the scripts do not compute). The session's other keys carry the hash's tag, and the
 * scripts name them from sessionKeyPrefixes() and the hash key's suffix.
 */
export const SCRIPT_KEY_TYPES = ['session', 'expiry', 'live'] as const satisfies readonly SessionKeyType[]
/** The keys that hold a session's data and are deleted with it. */
export const SESSION_DATA_KEY_TYPES = SESSION_KEY_TYPES.filter((type) => !SLOT_KEY_TYPES.includes(type))

/** Version 2: steps, messages and events became lists (docs/decisions/0700-storage-layout-v2.md). */
const KEY_VERSION = 2
const SLOTS = 16_384

export const slotOf = (key: string): number => clusterKeySlot(key)

let slotTags: string[] | undefined
/** A short string that hashes to `slot`: a key tagged with it lives in that Cluster slot. */
export function slotTag (slot: number): string {
  if (slotTags === undefined) {
    const tags = new Array<string>(SLOTS)
    let missing = SLOTS
    for (let i = 0; missing > 0; i++) {
      const candidate = i.toString(36)
      const s = clusterKeySlot(candidate)
      if (tags[s] === undefined) { tags[s] = candidate; missing-- }
    }
    slotTags = tags
  }
  return slotTags[slot]!
}

/** How many user ids' digests one key builder remembers. */
const USER_HASHES_KEPT = 4096

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

export function createKeys ({ system, env }: KeySettings) {
  const build = (scope: KeyScope, type: string, identifier: string, suffix?: string): string =>
    `${scope}:${system}:${env}:${type}:{${identifier}}:v${KEY_VERSION}${suffix === undefined ? '' : `:${suffix}`}`

  /**
   * User ids never appear in key names: only this digest of them (no personal data in keys). The
   * USER_HASHES_KEPT users used last are remembered (docs/decisions/0721).
   */
  const userHashes = new Map<string, string>()
  const userHash = (userId: string): string => {
    const hash = userHashes.get(userId) ?? sha256Hex(`${system}\u0000${userId}`).slice(0, 32)
    setNewest(userHashes, userId, hash, USER_HASHES_KEPT)
    return hash
  }

  /** The slot's expiry index: session ids by the time they expire, in the same slot as the sessions. */
  const expiryIndex = (slot: number): string => build('global', 'expiry', slotTag(slot))
  /** The slot's live-session counters by kind (`k:<kind>`) and by state (`s:<state>`). */
  const liveCounts = (slot: number): string => build('global', 'live', slotTag(slot))

  const sessionKey = (type: SessionKeyType, sessionId: string): string => {
    if (type === 'expiry') return expiryIndex(slotOf(sessionId))
    if (type === 'live') return liveCounts(slotOf(sessionId))
    return build('session', type, sessionId)
  }

  const partsOf = (type: SessionKeyType): [prefix: string, suffix: string] => build('session', type, '\u0000').split('\u0000') as [string, string]
  const hashParts = partsOf('session')

  return {
    session: (sessionId: string): string => sessionKey('session', sessionId),
    steps: (sessionId: string): string => sessionKey('steps', sessionId),
    narrative: (sessionId: string): string => sessionKey('narrative', sessionId),
    scenes: (sessionId: string): string => sessionKey('scenes', sessionId),
    choices: (sessionId: string): string => sessionKey('choices', sessionId),
    messages: (sessionId: string): string => sessionKey('messages', sessionId),
    events: (sessionId: string): string => sessionKey('events', sessionId),
    finalized: (sessionId: string): string => sessionKey('finalized', sessionId),
    /** Idempotency-Key records of requests under this session (deleted and expired with it). */
    sessionIdempotency: (sessionId: string): string => sessionKey('idempotency', sessionId),
    /** The Pub/Sub channel every change of the session is announced on (carries its hash tag). */
    changes: (sessionId: string): string => sessionKey('changes', sessionId),
    /** Every key a session script reaches, in SESSION_KEY_TYPES order (the order of the Lua K_* constants). */
    sessionKeys: (sessionId: string): string[] => SESSION_KEY_TYPES.map((type) => sessionKey(type, sessionId)),
    /** The keys a session script is passed, in SCRIPT_KEY_TYPES order: the hash, the slot's expiry index and live counters. */
    scriptKeys: (sessionId: string): [session: string, expiry: string, live: string] => {
      const slot = slotOf(sessionId)
      return [sessionKey('session', sessionId), expiryIndex(slot), liveCounts(slot)]
    },
    /**
     * How a session script names the keys it is not passed: for each SESSION_KEY_TYPES entry, the text
     * before the session id ('' for the passed ones, SCRIPT_KEY_TYPES); every one ends like the hash key
     * after the id (sessionHashParts).
     */
    sessionKeyPrefixes: (): string[] =>
      SESSION_KEY_TYPES.map((type) => ((SCRIPT_KEY_TYPES as readonly string[]).includes(type) ? '' : partsOf(type)[0])),
    /** The session hash key is `prefix + id + suffix` (for scripts that read sessions they find in an index). */
    sessionHashParts: (): [prefix: string, suffix: string] => [...hashParts],
    /** SCAN pattern matching every session hash of this system and environment (backups, migrations). */
    sessionHashPattern: (): string => build('session', 'session', '*'),
    /** The session id in a session hash key (one that sessionHashPattern() matched); null for any other key. */
    sessionIdOf: (key: string): string | null => {
      const [prefix, suffix] = hashParts
      if (!key.startsWith(prefix) || !key.endsWith(suffix) || key.length <= prefix.length + suffix.length) return null
      return key.slice(prefix.length, key.length - suffix.length)
    },
    expiryIndex,
    liveCounts,
    /** How many slots there are (one expiry index and one set of live counters per slot). */
    slots: SLOTS,

    userHash,
    userSessions: (userId: string): string => build('user', 'sessions', userHash(userId)),
    userProgress: (userId: string): string => build('user', 'progress', userHash(userId)),
    /** Progress snapshot documents by id; kept and erased together with userProgress (same hash tag). */
    userProgressDocs: (userId: string): string => build('user', 'progress_docs', userHash(userId)),
    /** Idempotency records whose stored responses carry this user's data (deleted on erasure). */
    userIdempotency: (userId: string): string => build('user', 'idempotency', userHash(userId)),
    /** The random pseudonym the audit trail names this user by (deleted on erasure: docs/decisions/0406). */
    userPseudonym: (userId: string): string => build('user', 'pseudonym', userHash(userId)),
    /** Whom an audit pseudonym stands for (deleted on erasure, with userPseudonym). */
    auditPrincipal: (pseudonym: string): string => build('global', 'principal', pseudonym),

    /** An Idempotency-Key record outside any session, by the digest of (principal, operation, key). */
    idempotency: (scopeDigest: string): string => build('global', 'idempotency', scopeDigest),
    /** A rate-limit counter; the subject (user id, key name, IP) appears only as a digest. */
    rateLimit: (subject: string, window: number): string => build('global', 'ratelimit', sha256Hex(subject).slice(0, 32), String(window)),
    audit: (utcDate: string): string => build('global', 'audit', utcDate),
    /** One UTC day's counts of sessions created, finalized, expired and deleted (contract §9 stats). */
    stats: (utcDate: string): string => build('global', 'stats', utcDate),
    finalizedStream: (): string => build('global', 'finalized', 'stream'),
    /** SCAN patterns of the keys that hold sealed content outside sessions (rotate-keys). */
    userProgressDocsPattern: (): string => build('user', 'progress_docs', '*'),
    idempotencyPattern: (): string => build('global', 'idempotency', '*'),

    /** SCAN/KEYS pattern matching every key of this system and environment. */
    everything: (): string => `*:${system}:${env}:*`
  }
}

export type Keys = ReturnType<typeof createKeys>

/** SHA-256 hex of text: digests inside key names (idempotency scopes) are made with this. */
export const keyDigest = (text: string, length = 40): string => sha256Hex(text).slice(0, length)
