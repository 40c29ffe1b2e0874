// Which Redis failures mean "storage unavailable, retry" (→ 503) rather than a bug (→ 500), and, for the
// log line of a 503, why in one word.

// OOM (maxmemory reached under noeviction) and MISCONF (persistence failing) refuse every write until an
// operator acts: the storage is unavailable, not the request wrong.
const TRANSIENT_REPLIES = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|MOVED|ASK|OOM|MISCONF)\b/
const TRANSIENT_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed',
  'Connection is in subscriber mode',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Cluster isn\'t ready',
  'Too many Cluster redirections',
  'Reached the max retries per request limit',
  'connect ETIMEDOUT',
  'All sentinels are unreachable'
]
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'RequestDeadlineExceeded'])

export function isRedisUnavailable (err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true
  if (TRANSIENT_NAMES.has(err.name)) return true
  if (TRANSIENT_REPLIES.test(err.message)) return true
  return TRANSIENT_MESSAGES.some((m) => err.message.includes(m))
}

/** Why Redis was unavailable, as a label a dashboard or a grep can count. */
export type UnavailableCause =
  | 'timeout' | 'deadline' | 'refused' | 'not_connected' | 'reset' | 'network' | 'dns' | 'cluster_down' | 'failover'
  | 'loading' | 'busy' | 'oom' | 'misconf' | 'no_replicas' | 'sentinels_unreachable' | 'other'

const CAUSE_BY_CODE: Record<string, UnavailableCause> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ENOTCONN: 'not_connected',
  ETIMEDOUT: 'network',
  EHOSTUNREACH: 'network',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns'
}

const CAUSE_BY_REPLY: Record<string, UnavailableCause> = {
  LOADING: 'loading',
  READONLY: 'failover',
  MASTERDOWN: 'failover',
  TRYAGAIN: 'failover',
  MOVED: 'failover',
  ASK: 'failover',
  CLUSTERDOWN: 'cluster_down',
  BUSY: 'busy',
  NOREPLICAS: 'no_replicas',
  OOM: 'oom',
  MISCONF: 'misconf'
}

const CAUSE_BY_MESSAGE: Array<[string, UnavailableCause]> = [
  ['Command timed out', 'timeout'],
  ["Stream isn't writeable", 'not_connected'],
  ['Connection is closed', 'not_connected'],
  ['Reached the max retries per request limit', 'not_connected'],
  ['Connection is in subscriber mode', 'other'],
  ['None of startup nodes is available', 'cluster_down'],
  ['Failed to refresh slots cache', 'cluster_down'],
  ["Cluster isn't ready", 'cluster_down'],
  ['Too many Cluster redirections', 'failover'],
  ['connect ETIMEDOUT', 'network'],
  ['All sentinels are unreachable', 'sentinels_unreachable']
]

function causeOf (err: Error): UnavailableCause {
  if (err.name === 'RequestDeadlineExceeded') return 'deadline'
  if (err.name === 'DeadlineExceeded') return 'timeout'
  if (err.name === 'ClusterAllFailedError') return 'cluster_down'
  if (err.name === 'MaxRetriesPerRequestError') return 'not_connected'
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && CAUSE_BY_CODE[code] !== undefined) return CAUSE_BY_CODE[code]
  const reply = TRANSIENT_REPLIES.exec(err.message)?.[1]
  if (reply !== undefined) return CAUSE_BY_REPLY[reply] ?? 'other'
  return CAUSE_BY_MESSAGE.find(([m]) => err.message.includes(m))?.[1] ?? 'other'
}

/**
 * The fields of a 503's log line: `cause` (one word), `operation` (which Redis operation met it, when
 * known) and `redis_error` (what the client or Redis said, cut short). Takes a RedisUnavailableError (its
 * `cause` is read) or the client's error itself.
 */
export function unavailableCause (err: unknown): { cause: UnavailableCause, operation?: string, redis_error?: string } {
  const wrapper = err as { cause?: unknown, operation?: unknown }
  const inner = wrapper?.cause instanceof Error ? wrapper.cause : err
  const operation = typeof wrapper?.operation === 'string' ? wrapper.operation : undefined
  if (!(inner instanceof Error)) return { cause: 'other', ...(operation !== undefined ? { operation } : {}) }
  return {
    cause: causeOf(inner),
    ...(operation !== undefined ? { operation } : {}),
    redis_error: inner.message.length > 160 ? `${inner.message.slice(0, 157)}...` : inner.message
  }
}
