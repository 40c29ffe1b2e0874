// Which Redis failures mean "storage unavailable, retry" (→ 503) rather than a bug (→ 500).

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
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError'])

export function isRedisUnavailable (err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true
  if (TRANSIENT_NAMES.has(err.name)) return true
  if (TRANSIENT_REPLIES.test(err.message)) return true
  return TRANSIENT_MESSAGES.some((m) => err.message.includes(m))
}
