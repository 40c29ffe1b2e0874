// Operator views (contract §9 admin details): Redis diagnostics, session stats, and the backup format
// of export and import.
import { Type, type Static } from 'typebox'
import { Nullable, StringEnum, Timestamp } from './common.js'
import { SESSION_KINDS, SESSION_STATES } from './session.js'

const Count = Type.Integer({ minimum: 0 })

// ---- GET /v1/admin/health/redis ----

export const REDIS_WARNING_CODES = ['eviction_policy', 'no_persistence', 'old_version', 'cluster_state'] as const
export type RedisWarningCode = typeof REDIS_WARNING_CODES[number]

export const RedisWarning = Type.Object({
  code: StringEnum(REDIS_WARNING_CODES, { description: 'What is wrong: a setting that can lose sessions' }),
  node: Type.String({ description: 'The server it concerns (host:port)' }),
  message: Type.String({ description: 'What is wrong, in a sentence' }),
  fix: Type.String({ description: 'What to change' })
}, { additionalProperties: false })
export type RedisWarning = Static<typeof RedisWarning>

const Memory = Type.Object({
  used_bytes: Count,
  maxmemory_bytes: Type.Integer({ minimum: 0, description: '0: no limit' }),
  policy: Type.String({ description: 'maxmemory-policy, e.g. noeviction' })
}, { additionalProperties: false })

const Persistence = Type.Object({
  aof: Type.Boolean({ description: 'Append-only file on' }),
  rdb: Nullable(Type.Boolean({ description: 'RDB snapshots scheduled (`save`); null when CONFIG GET is not allowed (managed Redis)' })),
  rdb_last_save_at: Nullable(Timestamp)
}, { additionalProperties: false })

const Keyspace = Type.Object({ keys: Count, expires: Count }, { additionalProperties: false, description: 'Every key of the server (all databases), not only sessiond\'s' })

const nodeFields = {
  version: Type.String({ description: 'redis_version' }),
  role: Type.String({ description: 'master or replica' }),
  uptime_s: Count,
  memory: Memory,
  persistence: Persistence,
  keyspace: Keyspace,
  clients: Type.Integer({ minimum: 0, description: 'Connected clients' })
}

export const RedisNode = Type.Object({
  address: Type.String({ description: 'host:port' }),
  ...nodeFields,
  cluster_state: Nullable(Type.String({ description: 'CLUSTER INFO cluster_state (ok, fail); null outside a Cluster' }))
}, { additionalProperties: false })
export type RedisNode = Static<typeof RedisNode>

export const RedisHealth = Type.Object({
  mode: StringEnum(['standalone', 'cluster', 'sentinel'] as const),
  ...nodeFields,
  nodes: Type.Array(RedisNode, { description: 'Every master of a Cluster; the one server otherwise. The top-level figures sum them (memory, keys, clients) or take the weakest (version, uptime)' }),
  pool: Type.Object({
    status: Type.String({ description: 'The client connection: ready, connecting, reconnecting, end …' }),
    pending_commands: Type.Integer({ minimum: 0, description: 'Commands sent and not yet answered' })
  }, { additionalProperties: false }),
  command_latency_ms: Type.Object({
    p50: Nullable(Type.Number()),
    p99: Nullable(Type.Number()),
    samples: Count,
    source: Type.String({ description: 'Where the figures come from: this instance\'s sessiond_redis_command_duration_seconds histogram since it started (bucket-interpolated, like histogram_quantile), or PINGs' })
  }, { additionalProperties: false }),
  warnings: Type.Array(RedisWarning, { description: 'Settings that lose sessions; empty when none' })
}, { additionalProperties: false })
export type RedisHealth = Static<typeof RedisHealth>

// ---- GET /v1/admin/stats ----

const countsOf = (names: readonly string[], description: string) =>
  Type.Object(Object.fromEntries(names.map((name) => [name, Count])), { additionalProperties: false, description })

export const LiveStats = Type.Object({
  by_kind: countsOf(SESSION_KINDS, 'Live sessions by kind'),
  by_state: countsOf(SESSION_STATES, 'Live sessions by state'),
  total: Count,
  as_of: Timestamp
}, { additionalProperties: false, description: 'Sessions that exist now (finalized ones while they are kept), summed from per-slot counters the changes keep; up to a few seconds old (`as_of`)' })
export type LiveStats = Static<typeof LiveStats>

export const STATS_COUNTERS = ['created', 'finalized', 'expired', 'deleted'] as const
export type StatsCounter = typeof STATS_COUNTERS[number]

export const DayStats = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'UTC day' }),
  created: Count,
  finalized: Count,
  expired: Count,
  deleted: Count
}, { additionalProperties: false })
export type DayStats = Static<typeof DayStats>

export const Stats = Type.Object({
  live: LiveStats,
  days: Type.Array(DayStats, { description: 'The last 30 UTC days, oldest first, today last' })
}, { additionalProperties: false })
export type Stats = Static<typeof Stats>

// ---- GET /v1/admin/export, POST /v1/admin/import ----

/**
 * The bounds of a session line, documented here and enforced by the import (src/domain/backup.ts):
 * list lengths are what the service keeps, element lengths what its limits allow once stored as JSON.
 */
export const BACKUP_LIMITS = {
  /** One line of a backup, in bytes: whatever else holds, no line is longer. */
  lineBytes: 256 * 1_048_576,
  /** The session hash, serialized (16 KiB of metadata escaped, 32 goals, the rest small). */
  sessionBytes: 65_536,
  steps: { items: 100, chars: 65_600 },
  history: { items: 1000, chars: 32_768 },
  /** MAX_MESSAGES_PER_SESSION is at most 100 000; a message holds 32 768 characters of content and 16 KiB of metadata. */
  messages: { items: 100_000, chars: 131_072 },
  events: { items: 1000, chars: 65_536 }
} as const

const LINE_BYTES = BACKUP_LIMITS.lineBytes

export const ExportHeaderLine = Type.Object({
  format: Type.Literal('sessiond-export'),
  format_version: Type.Literal(1),
  exported_at: Timestamp,
  source: Type.Object({ key_system: Type.String({ maxLength: 32 }), key_env: Type.String({ maxLength: 32 }) }, { additionalProperties: false })
}, { additionalProperties: false, description: 'The first line' })

const Strings = (limits: { items: number, chars: number }, description: string) =>
  Type.Array(Type.String({ maxLength: limits.chars }), { maxItems: limits.items, description })
const StringMap = (maxBytes: number, description: string) =>
  Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' }, 'x-max-bytes': maxBytes, description })

export const ExportSessionLine = Type.Object({
  session: StringMap(BACKUP_LIMITS.sessionBytes, 'The session hash as stored: every field a string, times in ms since the epoch'),
  ttl_ms: Type.Integer({ minimum: 0, description: 'Remaining time until expires_at at export (the import keeps the absolute expires_at)' }),
  steps: Strings(BACKUP_LIMITS.steps, 'Element n-1 is step n: "<saved_at_ms>|<data JSON>", or "" when not saved'),
  narrative: StringMap(LINE_BYTES, 'Context type → stored context JSON with its own expiry'),
  narrative_ttl_ms: Type.Unsafe<Record<string, number>>({
    type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, 'x-max-bytes': LINE_BYTES, description: 'Remaining time of each context at export'
  }),
  scenes: Strings(BACKUP_LIMITS.history, 'Scene history entries (JSON), oldest first'),
  choices: Strings(BACKUP_LIMITS.history, 'Choice history entries (JSON), oldest first'),
  messages: Strings(BACKUP_LIMITS.messages, 'Messages (JSON), oldest first; seqs end at session.message_seq'),
  events: Strings(BACKUP_LIMITS.events, 'The event log, oldest first: "[version, at_ms, code, …values]"'),
  finalized: Nullable(Type.String({ maxLength: LINE_BYTES, description: 'The stored Finalized result (JSON)' })),
  idempotency: StringMap(LINE_BYTES, 'Idempotency-Key records of requests under the session')
}, { additionalProperties: false, description: 'One line per session with everything under it' })

export const ExportEndLine = Type.Object({ end: Type.Literal(true), sessions: Count }, { additionalProperties: false, description: 'The last line of a complete export' })
export const ExportErrorLine = Type.Object({
  error: Type.Object({ code: Type.String({ maxLength: 64 }), detail: Type.String({ maxLength: 1024 }) }, { additionalProperties: false })
}, { additionalProperties: false, description: 'The last line of an export that failed midway, instead of the end line' })

export const ExportLine = Type.Union([ExportHeaderLine, ExportSessionLine, ExportEndLine, ExportErrorLine], {
  description: 'One line of the NDJSON backup: a header, then one line per session, then the end line (or an error line)'
})

export const ImportError = Type.Object({
  line: Type.Integer({ minimum: 1, description: 'Line number in the body, from 1' }),
  code: Type.String({ description: 'invalid_json, invalid_line, invalid_session, line_too_long, missing_encryption_key, write_failed (the line); export_failed, count_mismatch, truncated (the file)' }),
  detail: Type.String()
}, { additionalProperties: false })
export type ImportError = Static<typeof ImportError>

export const ImportResult = Type.Object({
  imported: Count,
  skipped: Type.Integer({ minimum: 0, description: 'Sessions already stored at the same or a newer version, or expired since the export' }),
  failed: Type.Integer({ minimum: 0, description: 'Session lines that did not parse or validate: nothing of them was written' }),
  complete: Type.Boolean({ description: 'The body ended with its end line and the count matched: the backup was whole' }),
  errors: Type.Array(ImportError, { maxItems: 100, description: 'The first 100 problems, by line' })
}, { additionalProperties: false })
export type ImportResult = Static<typeof ImportResult>
