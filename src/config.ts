// Environment → typed, validated Config. loadConfig(env) is pure: no process.env, no files, no I/O.
import { createPublicKey } from 'node:crypto'

export type RedisMode = 'embedded' | 'standalone' | 'cluster' | 'sentinel'

export interface HostPort { host: string, port: number }
export interface NamedKey { name: string, key: string }
/** One key of ENCRYPTION_KEYS: its id (stored with every value it seals) and its 32 bytes. */
export interface EncryptionKey { id: string, key: Buffer }

export interface RedisConfig {
  mode: RedisMode
  url?: string
  clusterNodes: HostPort[]
  sentinels: HostPort[]
  sentinelName?: string
  username?: string
  password?: string
  tls: boolean
  commandTimeoutMs: number
  connectTimeoutMs: number
  /**
   * How commands leave for Redis (docs/decisions/0715, 0723): `coalesce` (default) one socket write per
   * event-loop turn, long scripts at once; `auto-pipeline` ioredis' auto-pipelining (each batch waits for
   * the previous one's replies, 0403); `plain` one write per command. Kept to measure the three side by side (bench/README.md).
   */
  writes: RedisWrites
  /** Data folder of the embedded redis-server child (mode 'embedded' only). */
  dataDir: string
}

export const REDIS_WRITES = ['coalesce', 'auto-pipeline', 'plain'] as const
export type RedisWrites = typeof REDIS_WRITES[number]

/** The OTEL_TRACES_SAMPLER values of the OpenTelemetry specification that need no remote service. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const
export type TraceSampler = typeof TRACE_SAMPLERS[number]

export interface TracingConfig {
  /** Where spans go (OTLP over HTTP, protobuf); undefined: tracing off, nothing of OpenTelemetry loaded. */
  tracesUrl?: string
  serviceName: string
  sampler: TraceSampler
  /** The ratio of the traceidratio samplers, 0–1. */
  samplerRatio: number
}

export interface Config {
  nodeEnv: string
  port: number
  host: string
  logLevel: string
  bodyLimitBytes: number
  /** POST /v1/admin/import reads at most this many bytes (contract §9); `npx sessiond import` has no cap. */
  importMaxBytes: number
  shutdownGraceMs: number
  /** V8's old-generation growth after a full GC, in percent of the live heap; 0: V8's own heuristics (src/heap.ts). */
  heapGrowingPercent: number
  /** V8's allocation-site pretenuring (src/heap.ts, docs/decisions/0725); off by default. */
  heapPretenuring: boolean
  /** SIGTERM: readiness turns 503 and the listener keeps serving this long before the server closes. */
  shutdownDrainMs: number
  redis: RedisConfig
  keys: { system: string, env: string }
  sessions: {
    sessionTtlSeconds: number
    onboardingTtlSeconds: number
    maxLifetimeSeconds: number
    finalizedRetentionSeconds: number
    onboardingTotalSteps: number
    narrativeTtlSeconds: number
    progressRetentionSeconds: number
    maxMessagesPerSession: number
  }
  auth: {
    apiKeys: NamedKey[]
    adminApiKeys: NamedKey[]
    jwtSecret?: string
    jwtPublicKey?: string
    jwtIssuer?: string
    jwtAudience?: string
  }
  rateLimit: { max: number, windowMs: number }
  auditRetentionSeconds: number
  /** Fastify trustProxy: false, true, a hop count, or addresses/CIDRs of trusted proxies. */
  trustProxy: boolean | number | string[]
  /** CORS on /v1 (contract §1): allowed origins (empty: no CORS), or '*' (any origin, never in production). */
  corsOrigins: string[] | '*'
  /** Slow clients (contract §1): all request headers within `headersMs`, the whole request within `requestMs`. */
  timeouts: { headersMs: number, requestMs: number }
  /** Live events (contract §8): event streams per instance, and how often this instance sweeps for expired sessions. */
  events: { maxStreams: number, sweepIntervalMs: number }
  /** The in-process read cache of sessions (docs/decisions/0714): off, or an LRU of `maxEntries`, each served for at most `ttlMs`. */
  cache: { mode: 'off' | 'lru', maxEntries: number, ttlMs: number }
  /** OpenTelemetry tracing (docs/decisions/0503), from the standard OTEL_* variables. */
  tracing: TracingConfig
  /** Encryption at rest (contract §13): the key ring, the first key seals; empty: stored content is plaintext. */
  encryptionKeys: EncryptionKey[]
  /** AUDIT_READS: reads of content are recorded in the audit trail too. */
  auditReads: boolean
}

export class ConfigError extends Error {
  constructor (readonly variable: string, reason: string) {
    super(`invalid configuration: ${variable} ${reason}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function raw (env: Env, name: string): string | undefined {
  const value = env[name]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

function int (env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name)
  if (value === undefined) return fallback
  if (!/^-?\d+$/.test(value)) throw new ConfigError(name, `must be an integer, got "${value}"`)
  const n = Number(value)
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`)
  return n
}

function oneOf<T extends string> (env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const value = raw(env, name)
  if (value === undefined) return fallback
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`)
  }
  return value as T
}

function bool (env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)
  if (value === undefined) return fallback
  if (/^(1|true|yes|on)$/i.test(value)) return true
  if (/^(0|false|no|off)$/i.test(value)) return false
  throw new ConfigError(name, `must be true or false, got "${value}"`)
}

function keyPart (env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(value)) throw new ConfigError(name, 'must be 1-32 chars of [A-Za-z0-9_-]')
  return value
}

function hostPorts (env: Env, name: string): HostPort[] {
  const value = raw(env, name)
  if (value === undefined) return []
  return value.split(',').map((entry) => {
    const match = /^\s*([^\s:]+|\[[^\]]+\]):(\d{1,5})\s*$/.exec(entry)
    const port = Number(match?.[2])
    if (match === null || port < 1 || port > 65535) {
      throw new ConfigError(name, `must be a comma-separated list of host:port, got "${entry.trim()}"`)
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port }
  })
}

function namedKeys (env: Env, name: string): NamedKey[] {
  const value = raw(env, name)
  if (value === undefined) return []
  const seen = new Set<string>()
  return value.split(',').map((entry) => {
    const at = entry.indexOf(':')
    const keyName = entry.slice(0, at).trim()
    const key = entry.slice(at + 1).trim()
    // Never echo the key itself in the message.
    if (at <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(keyName)) throw new ConfigError(name, 'entries must be name:key with a name of [A-Za-z0-9._-]')
    if (key.length < 32) throw new ConfigError(name, `key "${keyName}" must be at least 32 characters`)
    if (seen.has(keyName)) throw new ConfigError(name, `names a key "${keyName}" twice`)
    seen.add(keyName)
    return { name: keyName, key }
  })
}

/** ENCRYPTION_KEYS: `kid:base64-of-32-bytes,…`; key ids are [A-Za-z0-9_-] (they are stored with every value). */
function encryptionKeys (env: Env): EncryptionKey[] {
  const name = 'ENCRYPTION_KEYS'
  const value = raw(env, name)
  if (value === undefined) return []
  const seen = new Set<string>()
  return value.split(',').map((entry) => {
    const at = entry.indexOf(':')
    const id = entry.slice(0, at).trim()
    const encoded = entry.slice(at + 1).trim()
    // Never echo the key itself in the message.
    if (at <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new ConfigError(name, 'entries must be kid:base64-of-32-bytes with a kid of 1-32 chars of [A-Za-z0-9_-]')
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) ? Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64') : Buffer.alloc(0)
    if (key.length !== 32) throw new ConfigError(name, `key "${id}" must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`)
    if (seen.has(id)) throw new ConfigError(name, `names a key id "${id}" twice`)
    seen.add(id)
    return { id, key }
  })
}

/** TRUST_PROXY: "true"/"false", a number of proxy hops, or a comma-separated list of addresses/CIDRs. */
function trustProxy (env: Env): boolean | number | string[] {
  const value = raw(env, 'TRUST_PROXY')
  if (value === undefined) return false
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  if (/^\d{1,2}$/.test(value)) return Number(value)
  const entries = value.split(',').map((e) => e.trim())
  if (entries.every((e) => /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(e))) return entries
  throw new ConfigError('TRUST_PROXY', 'must be true, false, a hop count, or a comma-separated list of addresses/CIDRs')
}

/** CORS_ORIGINS: comma-separated origins (scheme://host[:port]), or `*` outside production. */
function corsOrigins (env: Env, nodeEnv: string): string[] | '*' {
  const value = raw(env, 'CORS_ORIGINS')
  if (value === undefined) return []
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '')
  if (entries.includes('*')) {
    if (entries.length > 1) throw new ConfigError('CORS_ORIGINS', 'is either * alone or a list of origins, not both')
    if (nodeEnv === 'production') {
      throw new ConfigError('CORS_ORIGINS', 'may not be * in production: list the origins of your frontends (https://app.example.com,…)')
    }
    return '*'
  }
  return [...new Set(entries.map((entry) => {
    let url: URL | undefined
    try { url = new URL(entry) } catch { url = undefined }
    // Browsers send Origin as scheme://host[:port]: a path, query or credentials would never match.
    if (url === undefined || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.hash !== '' ||
        url.username !== '' || url.password !== '') {
      throw new ConfigError('CORS_ORIGINS', `must be * or comma-separated origins like https://app.example.com (scheme://host[:port], no path), got "${entry}"`)
    }
    return url.origin
  }))]
}

/** A number from 0 to 1, written as a decimal (`0.25`, `1`). */
function fraction (env: Env, name: string, fallback: number): number {
  const value = raw(env, name)
  if (value === undefined) return fallback
  const n = Number(value)
  if (!/^\d*\.?\d+$/.test(value) || n > 1) throw new ConfigError(name, `must be a number from 0 to 1, got "${value}"`)
  return n
}

/** An http:// or https:// URL (the value is not echoed: it may carry credentials). */
function httpUrl (env: Env, name: string): string | undefined {
  const value = raw(env, name)
  if (value === undefined) return undefined
  let url: URL
  try { url = new URL(value) } catch { throw new ConfigError(name, 'is not a valid URL') }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'must start with http:// or https://')
  return value
}

/** The OTLP traces URL, by the specification's rule: the signal's own endpoint as it is, else the base endpoint + /v1/traces. */
function tracesUrl (env: Env): string | undefined {
  const signal = httpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
  const base = httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')
  if (bool(env, 'OTEL_SDK_DISABLED', false)) return undefined
  return signal ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`)
}

function redisUrl (env: Env): string | undefined {
  const value = raw(env, 'REDIS_URL')
  if (value === undefined) return undefined
  let url: URL
  try { url = new URL(value) } catch { throw new ConfigError('REDIS_URL', 'is not a valid URL') }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://')
  return value
}

function redisConfig (env: Env, nodeEnv: string): RedisConfig {
  const url = redisUrl(env)
  const clusterNodes = hostPorts(env, 'REDIS_CLUSTER_NODES')
  const sentinels = hostPorts(env, 'REDIS_SENTINELS')
  const sentinelName = raw(env, 'REDIS_SENTINEL_NAME')
  const configured = [url !== undefined, clusterNodes.length > 0, sentinels.length > 0].filter(Boolean).length
  if (configured > 1) throw new ConfigError('REDIS_URL', 'conflicts with REDIS_CLUSTER_NODES / REDIS_SENTINELS: set only one topology')
  if (sentinels.length > 0 && sentinelName === undefined) throw new ConfigError('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS')
  let mode: RedisMode = 'embedded'
  if (url !== undefined) mode = 'standalone'
  else if (clusterNodes.length > 0) mode = 'cluster'
  else if (sentinels.length > 0) mode = 'sentinel'
  else if (nodeEnv === 'production') {
    throw new ConfigError('REDIS_URL', 'is required in production (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME)')
  }
  return {
    mode,
    url,
    clusterNodes,
    sentinels,
    sentinelName,
    username: raw(env, 'REDIS_USERNAME'),
    password: raw(env, 'REDIS_PASSWORD'),
    tls: bool(env, 'REDIS_TLS', false),
    commandTimeoutMs: int(env, 'REDIS_COMMAND_TIMEOUT_MS', 1000, 10, 60_000),
    connectTimeoutMs: int(env, 'REDIS_CONNECT_TIMEOUT_MS', 5000, 100, 120_000),
    writes: oneOf(env, 'REDIS_WRITES', 'coalesce', REDIS_WRITES),
    dataDir: raw(env, 'REDIS_DATA_DIR') ?? './.data/redis'
  }
}

/** RATE_LIMIT_MAX when unset; open development mode (no credentials) gets a generous default (docs/decisions/0603). */
export const DEFAULT_RATE_LIMIT_MAX = 600
export const OPEN_MODE_RATE_LIMIT_MAX = 6000

/** HEAP_GROWING_PERCENT when unset (docs/decisions/0718). */
export const DEFAULT_HEAP_GROWING_PERCENT = 50

export function loadConfig (env: Env): Config {
  const nodeEnv = raw(env, 'NODE_ENV') ?? 'development'
  const day = 86_400
  const config: Config = {
    nodeEnv,
    port: int(env, 'PORT', 8080, 0, 65535),
    host: raw(env, 'HOST') ?? '0.0.0.0',
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    importMaxBytes: int(env, 'IMPORT_MAX_BYTES', 1_073_741_824, 1024, 2 ** 40),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    heapGrowingPercent: int(env, 'HEAP_GROWING_PERCENT', DEFAULT_HEAP_GROWING_PERCENT, 0, 1000),
    heapPretenuring: bool(env, 'HEAP_PRETENURING', false),
    shutdownDrainMs: int(env, 'SHUTDOWN_DRAIN_MS', 5_000, 0, 600_000),
    redis: redisConfig(env, nodeEnv),
    keys: { system: keyPart(env, 'KEY_SYSTEM', 'sessiond'), env: keyPart(env, 'KEY_ENV', 'dev') },
    sessions: {
      sessionTtlSeconds: int(env, 'SESSION_TTL_SECONDS', day, 1, 365 * day),
      onboardingTtlSeconds: int(env, 'ONBOARDING_TTL_SECONDS', 7 * day, 1, 365 * day),
      maxLifetimeSeconds: int(env, 'MAX_LIFETIME_SECONDS', 30 * day, 1, 3650 * day),
      finalizedRetentionSeconds: int(env, 'FINALIZED_RETENTION_SECONDS', 7 * day, 1, 3650 * day),
      onboardingTotalSteps: int(env, 'ONBOARDING_TOTAL_STEPS', 23, 1, 100),
      narrativeTtlSeconds: int(env, 'NARRATIVE_TTL_SECONDS', 14_400, 1, 365 * day),
      progressRetentionSeconds: int(env, 'PROGRESS_RETENTION_SECONDS', 30 * day, 1, 3650 * day),
      maxMessagesPerSession: int(env, 'MAX_MESSAGES_PER_SESSION', 1000, 1, 100_000)
    },
    auth: {
      apiKeys: namedKeys(env, 'API_KEYS'),
      adminApiKeys: namedKeys(env, 'ADMIN_API_KEYS'),
      jwtSecret: raw(env, 'JWT_SECRET'),
      jwtPublicKey: raw(env, 'JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n'),
      jwtIssuer: raw(env, 'JWT_ISSUER'),
      jwtAudience: raw(env, 'JWT_AUDIENCE')
    },
    rateLimit: {
      max: int(env, 'RATE_LIMIT_MAX', DEFAULT_RATE_LIMIT_MAX, 1, 10_000_000),
      windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000)
    },
    auditRetentionSeconds: int(env, 'AUDIT_RETENTION_SECONDS', 90 * day, 60, 3650 * day),
    trustProxy: trustProxy(env),
    corsOrigins: corsOrigins(env, nodeEnv),
    timeouts: {
      headersMs: int(env, 'REQUEST_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000)
    },
    events: {
      maxStreams: int(env, 'MAX_EVENT_STREAMS', 10_000, 0, 1_000_000),
      sweepIntervalMs: int(env, 'EXPIRY_SWEEP_INTERVAL_MS', 10_000, 50, 600_000)
    },
    cache: {
      mode: oneOf(env, 'CACHE_MODE', 'off', ['off', 'lru'] as const),
      maxEntries: int(env, 'CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
      ttlMs: int(env, 'CACHE_TTL_MS', 60_000, 100, 86_400_000)
    },
    tracing: {
      tracesUrl: tracesUrl(env),
      serviceName: raw(env, 'OTEL_SERVICE_NAME') ?? 'sessiond',
      sampler: oneOf(env, 'OTEL_TRACES_SAMPLER', 'parentbased_always_on', TRACE_SAMPLERS),
      samplerRatio: fraction(env, 'OTEL_TRACES_SAMPLER_ARG', 1)
    },
    encryptionKeys: encryptionKeys(env),
    auditReads: bool(env, 'AUDIT_READS', false)
  }
  // Node's own rule (http.createServer throws otherwise): the headers are part of the request.
  if (config.timeouts.headersMs > config.timeouts.requestMs) {
    throw new ConfigError('REQUEST_HEADERS_TIMEOUT_MS', `must not exceed REQUEST_TIMEOUT_MS (${config.timeouts.requestMs}), got ${config.timeouts.headersMs}`)
  }
  if (config.auth.jwtSecret !== undefined && config.auth.jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters')
  }
  if (config.auth.jwtPublicKey !== undefined) publicKeyAlgorithm(config.auth.jwtPublicKey)
  if (nodeEnv === 'production' && hasNoCredentials(config)) {
    throw new ConfigError('API_KEYS', 'is required in production (or ADMIN_API_KEYS, JWT_SECRET, JWT_PUBLIC_KEY): refusing to run an open service')
  }
  // Open development mode is one principal for every local caller: a developer's own burst must not lock them out.
  if (hasNoCredentials(config) && raw(env, 'RATE_LIMIT_MAX') === undefined) config.rateLimit.max = OPEN_MODE_RATE_LIMIT_MAX
  return config
}

/** True when no credential of any kind is configured (open development mode). */
export function hasNoCredentials (config: Config): boolean {
  const a = config.auth
  return a.apiKeys.length === 0 && a.adminApiKeys.length === 0 && a.jwtSecret === undefined && a.jwtPublicKey === undefined
}

/** The JWT algorithm a PEM public key verifies: RS256 for RSA, ES256 for P-256 EC; anything else stops the start. */
export function publicKeyAlgorithm (pem: string): 'RS256' | 'ES256' {
  if (!pem.includes('BEGIN PUBLIC KEY')) throw new ConfigError('JWT_PUBLIC_KEY', 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)')
  let type: string | undefined
  let curve: string | undefined
  try {
    const key = createPublicKey(pem)
    type = key.asymmetricKeyType
    curve = key.asymmetricKeyDetails?.namedCurve
  } catch {
    throw new ConfigError('JWT_PUBLIC_KEY', 'is not a readable PEM public key')
  }
  if (type === 'rsa') return 'RS256'
  if (type === 'ec' && curve === 'prime256v1') return 'ES256'
  throw new ConfigError('JWT_PUBLIC_KEY', 'must be an RSA (RS256) or P-256 EC (ES256) public key')
}
