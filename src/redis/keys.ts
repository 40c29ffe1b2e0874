// The one key builder. Every Redis key of sessiond is made here and has the form
//   <scope>:<system>:<environment>:<type>:{<identifier>}:v<version>[:<suffix>]
// The identifier is a hash tag so all keys of one session (or one user, or one day) share a Cluster slot.
import { createHash } from 'node:crypto'

export type KeyScope = 'session' | 'user' | 'global'

export interface KeySettings { system: string, env: string }

/** Keys of one session, in the fixed order every session Lua script receives them (see lua/includes/session.lua). */
export const SESSION_KEY_TYPES = [
  'session', 'steps', 'narrative', 'scenes', 'choices', 'messages', 'message_docs', 'events', 'finalized'
] as const
export type SessionKeyType = typeof SESSION_KEY_TYPES[number]

const KEY_VERSION = 1

export function createKeys ({ system, env }: KeySettings) {
  const build = (scope: KeyScope, type: string, identifier: string, suffix?: string): string =>
    `${scope}:${system}:${env}:${type}:{${identifier}}:v${KEY_VERSION}${suffix === undefined ? '' : `:${suffix}`}`

  /** User ids never appear in key names: only this digest of them (no personal data in keys). */
  const userHash = (userId: string): string =>
    createHash('sha256').update(`${system}\u0000${userId}`).digest('hex').slice(0, 32)

  const sessionKey = (type: SessionKeyType) => (sessionId: string): string => build('session', type, sessionId)

  return {
    session: sessionKey('session'),
    steps: sessionKey('steps'),
    narrative: sessionKey('narrative'),
    scenes: sessionKey('scenes'),
    choices: sessionKey('choices'),
    messages: sessionKey('messages'),
    messageDocs: sessionKey('message_docs'),
    events: sessionKey('events'),
    finalized: sessionKey('finalized'),
    /** Every key of a session, in SESSION_KEY_TYPES order. */
    sessionKeys: (sessionId: string): string[] => SESSION_KEY_TYPES.map((type) => build('session', type, sessionId)),

    userHash,
    userSessions: (userId: string): string => build('user', 'sessions', userHash(userId)),
    userSessionDeadlines: (userId: string): string => build('user', 'session_deadlines', userHash(userId)),
    userProgress: (userId: string): string => build('user', 'progress', userHash(userId)),
    /** Progress snapshot documents by id; kept and erased together with userProgress (same hash tag). */
    userProgressDocs: (userId: string): string => build('user', 'progress_docs', userHash(userId)),
    /** Idempotency records whose stored responses carry this user's data (deleted on erasure). */
    userIdempotency: (userId: string): string => build('user', 'idempotency', userHash(userId)),

    idempotency: (scopeDigest: string): string => build('global', 'idempotency', scopeDigest),
    rateLimit: (principalDigest: string, window: number): string => build('global', 'ratelimit', principalDigest, String(window)),
    audit: (utcDate: string): string => build('global', 'audit', utcDate),
    stats: (utcDate: string): string => build('global', 'stats', utcDate),
    finalizedStream: (): string => build('global', 'finalized', 'stream'),

    /** SCAN/KEYS pattern matching every key of this system and environment. */
    everything: (): string => `*:${system}:${env}:*`
  }
}

export type Keys = ReturnType<typeof createKeys>
