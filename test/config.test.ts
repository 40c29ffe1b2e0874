import t, { type Test } from 'tap'
import { generateKeyPairSync } from 'node:crypto'
import { loadConfig, ConfigError, hasNoCredentials, DEFAULT_RATE_LIMIT_MAX, OPEN_MODE_RATE_LIMIT_MAX } from '../src/config.js'

const KEY_A = 'a'.repeat(32)
const KEY_B = 'b'.repeat(40)
const PUBLIC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()

/** What loading `env` throws, or undefined when it loads. */
function thrownBy (env: Record<string, string>): unknown {
  try {
    loadConfig(env)
  } catch (err) {
    return err
  }
  return undefined
}

/** Asserts that `env` is refused with a ConfigError naming `variable` (in the field and the message). */
function assertRefused (t: Pick<Test, 'ok' | 'equal' | 'match'>, env: Record<string, string>, variable: string): void {
  const err = thrownBy(env)
  t.ok(err instanceof ConfigError, `${JSON.stringify(env)} is refused with a ConfigError`)
  t.equal((err as ConfigError).variable, variable)
  t.match((err as Error).message, variable)
}

t.test('with an empty environment every value has its contract default (§11)', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    nodeEnv: 'development',
    port: 8080,
    host: '0.0.0.0',
    logLevel: 'info',
    bodyLimitBytes: 1_048_576,
    shutdownGraceMs: 10_000,
    heapGrowingPercent: 50,
    heapPretenuring: false,
    keys: { system: 'sessiond', env: 'dev' },
    redis: {
      mode: 'embedded', url: undefined, clusterNodes: [], sentinels: [], tls: false,
      commandTimeoutMs: 1000, connectTimeoutMs: 5000, dataDir: './.data/redis'
    },
    sessions: {
      sessionTtlSeconds: 86_400,
      onboardingTtlSeconds: 604_800,
      maxLifetimeSeconds: 2_592_000,
      finalizedRetentionSeconds: 604_800,
      onboardingTotalSteps: 23,
      narrativeTtlSeconds: 14_400,
      progressRetentionSeconds: 2_592_000,
      maxMessagesPerSession: 1000
    },
    auth: { apiKeys: [], adminApiKeys: [] },
    rateLimit: { max: 6000, windowMs: 60_000 },
    auditRetentionSeconds: 7_776_000,
    corsOrigins: [],
    timeouts: { headersMs: 10_000, requestMs: 30_000 }
  })
  t.ok(hasNoCredentials(config), 'no credentials: open development mode')
})

t.test('loadConfig is pure: it reads only the object it is given, never process.env', async (t) => {
  const saved = process.env.PORT
  process.env.PORT = '1234'
  t.teardown(() => { if (saved === undefined) delete process.env.PORT; else process.env.PORT = saved })
  t.equal(loadConfig({}).port, 8080)
  const env = { PORT: '9000' }
  loadConfig(env)
  t.same(env, { PORT: '9000' }, 'the input is not modified')
})

t.test('every variable is parsed into the typed config', async (t) => {
  const config = loadConfig({
    NODE_ENV: 'staging',
    PORT: '9090',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    BODY_LIMIT_BYTES: '2048',
    SHUTDOWN_GRACE_MS: '2500',
    SHUTDOWN_DRAIN_MS: '1500',
    HEAP_GROWING_PERCENT: '40',
    HEAP_PRETENURING: 'true',
    REDIS_URL: 'rediss://user:pw@redis.example:6380/2',
    REDIS_USERNAME: 'svc',
    REDIS_PASSWORD: 'hunter2',
    REDIS_TLS: 'true',
    REDIS_COMMAND_TIMEOUT_MS: '300',
    REDIS_CONNECT_TIMEOUT_MS: '700',
    REDIS_DATA_DIR: '/var/lib/sessiond',
    KEY_SYSTEM: 'sess',
    KEY_ENV: 'prod',
    SESSION_TTL_SECONDS: '100',
    ONBOARDING_TTL_SECONDS: '200',
    MAX_LIFETIME_SECONDS: '300',
    FINALIZED_RETENTION_SECONDS: '400',
    ONBOARDING_TOTAL_STEPS: '7',
    NARRATIVE_TTL_SECONDS: '500',
    PROGRESS_RETENTION_SECONDS: '600',
    MAX_MESSAGES_PER_SESSION: '50',
    API_KEYS: `backend:${KEY_A}, worker:${KEY_B}`,
    ADMIN_API_KEYS: `ops:${KEY_B}`,
    JWT_SECRET: 's'.repeat(32),
    JWT_PUBLIC_KEY: PUBLIC_KEY.trim().replace(/\n/g, '\\n'), // one line, as env files carry it
    JWT_ISSUER: 'https://issuer.example',
    JWT_AUDIENCE: 'sessiond',
    RATE_LIMIT_MAX: '10',
    RATE_LIMIT_WINDOW_MS: '1000',
    AUDIT_RETENTION_SECONDS: '3600',
    CORS_ORIGINS: 'https://app.example.com,http://localhost:5173',
    REQUEST_HEADERS_TIMEOUT_MS: '2000',
    REQUEST_TIMEOUT_MS: '5000'
  })
  t.match(config, {
    nodeEnv: 'staging',
    port: 9090,
    host: '127.0.0.1',
    logLevel: 'debug',
    bodyLimitBytes: 2048,
    shutdownGraceMs: 2500,
    shutdownDrainMs: 1500,
    heapGrowingPercent: 40,
    heapPretenuring: true,
    keys: { system: 'sess', env: 'prod' },
    redis: {
      mode: 'standalone',
      url: 'rediss://user:pw@redis.example:6380/2',
      username: 'svc',
      password: 'hunter2',
      tls: true,
      commandTimeoutMs: 300,
      connectTimeoutMs: 700,
      dataDir: '/var/lib/sessiond'
    },
    sessions: {
      sessionTtlSeconds: 100,
      onboardingTtlSeconds: 200,
      maxLifetimeSeconds: 300,
      finalizedRetentionSeconds: 400,
      onboardingTotalSteps: 7,
      narrativeTtlSeconds: 500,
      progressRetentionSeconds: 600,
      maxMessagesPerSession: 50
    },
    auth: {
      apiKeys: [{ name: 'backend', key: KEY_A }, { name: 'worker', key: KEY_B }],
      adminApiKeys: [{ name: 'ops', key: KEY_B }],
      jwtSecret: 's'.repeat(32),
      jwtPublicKey: PUBLIC_KEY.trim(),
      jwtIssuer: 'https://issuer.example',
      jwtAudience: 'sessiond'
    },
    rateLimit: { max: 10, windowMs: 1000 },
    auditRetentionSeconds: 3600,
    corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
    timeouts: { headersMs: 2000, requestMs: 5000 }
  })
  t.notOk(hasNoCredentials(config))
})

t.test('blank values count as unset and surrounding spaces are ignored', async (t) => {
  const config = loadConfig({ PORT: '   ', LOG_LEVEL: '', KEY_ENV: ' prod ' })
  t.equal(config.port, 8080)
  t.equal(config.logLevel, 'info')
  t.equal(config.keys.env, 'prod')
})

t.test('the Redis topology decides the mode', async (t) => {
  t.equal(loadConfig({}).redis.mode, 'embedded', 'nothing configured: a private redis-server')
  t.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis.mode, 'standalone')
  t.equal(loadConfig({ REDIS_URL: 'rediss://cache.example:6380' }).redis.mode, 'standalone')
  const cluster = loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001,[::1]:7002' }).redis
  t.equal(cluster.mode, 'cluster')
  t.same(cluster.clusterNodes, [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }, { host: '::1', port: 7002 }])
  const sentinel = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'mymaster' }).redis
  t.equal(sentinel.mode, 'sentinel')
  t.equal(sentinel.sentinelName, 'mymaster')
  t.same(sentinel.sentinels, [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }])
})

t.test('production needs an external Redis and credentials, and runs with them', async (t) => {
  assertRefused(t, { NODE_ENV: 'production', API_KEYS: `a:${KEY_A}` }, 'REDIS_URL')
  assertRefused(t, { NODE_ENV: 'production', REDIS_URL: 'redis://r:6379' }, 'API_KEYS')
  for (const credential of [{ API_KEYS: `a:${KEY_A}` }, { ADMIN_API_KEYS: `a:${KEY_A}` }, { JWT_SECRET: KEY_A },
    { JWT_PUBLIC_KEY: PUBLIC_KEY }]) {
    t.equal(loadConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379', ...credential }).redis.mode, 'standalone',
      `${Object.keys(credential)[0]} is a credential`)
  }
  t.equal(loadConfig({ NODE_ENV: 'production', REDIS_CLUSTER_NODES: 'a:1', JWT_SECRET: KEY_A }).redis.mode, 'cluster')
})

t.test('a bad value is refused with a ConfigError that names the variable', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ REDIS_COMMAND_TIMEOUT_MS: '-1' }, 'REDIS_COMMAND_TIMEOUT_MS'],
    [{ REDIS_COMMAND_TIMEOUT_MS: '1e3' }, 'REDIS_COMMAND_TIMEOUT_MS'],
    [{ REDIS_CONNECT_TIMEOUT_MS: 'soon' }, 'REDIS_CONNECT_TIMEOUT_MS'],
    [{ BODY_LIMIT_BYTES: '0' }, 'BODY_LIMIT_BYTES'],
    [{ SHUTDOWN_GRACE_MS: 'ten' }, 'SHUTDOWN_GRACE_MS'],
    [{ SESSION_TTL_SECONDS: '0' }, 'SESSION_TTL_SECONDS'],
    [{ ONBOARDING_TOTAL_STEPS: '101' }, 'ONBOARDING_TOTAL_STEPS'],
    [{ RATE_LIMIT_MAX: '0' }, 'RATE_LIMIT_MAX'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ REDIS_TLS: 'maybe' }, 'REDIS_TLS'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,b' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: 'a:0' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_SENTINELS: 's1:26379' }, 'REDIS_SENTINEL_NAME'],
    [{ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:7000' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://r:6379', REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_URL'],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ KEY_ENV: 'has:colon' }, 'KEY_ENV'],
    [{ KEY_SYSTEM: 'x'.repeat(33) }, 'KEY_SYSTEM'],
    [{ API_KEYS: 'backend:short' }, 'API_KEYS'],
    [{ API_KEYS: KEY_A }, 'API_KEYS'],
    [{ API_KEYS: `a:${KEY_A},a:${KEY_B}` }, 'API_KEYS'],
    [{ ADMIN_API_KEYS: 'ops:tooshort' }, 'ADMIN_API_KEYS'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_PUBLIC_KEY: 'not a pem' }, 'JWT_PUBLIC_KEY'],
    [{ JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----' }, 'JWT_PUBLIC_KEY'],
    [{ NODE_ENV: 'production', API_KEYS: `a:${KEY_A}` }, 'REDIS_URL'],
    [{ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379' }, 'API_KEYS'],
    [{ CORS_ORIGINS: 'app.example.com' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://app.example.com/app' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://app.example.com?x=1' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://user:pw@app.example.com' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'ftp://files.example.com' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'null' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*,https://app.example.com' }, 'CORS_ORIGINS'],
    [{ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379', API_KEYS: `a:${KEY_A}`, CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ REQUEST_HEADERS_TIMEOUT_MS: 'soon' }, 'REQUEST_HEADERS_TIMEOUT_MS'],
    [{ REQUEST_HEADERS_TIMEOUT_MS: '10' }, 'REQUEST_HEADERS_TIMEOUT_MS'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [{ REQUEST_HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '15000' }, 'REQUEST_HEADERS_TIMEOUT_MS']
  ]
  for (const [env, variable] of cases) assertRefused(t, env, variable)
})

t.test('a refused key is never echoed in the error message', async (t) => {
  const secret = 'sup3r-s3cret'
  const err = thrownBy({ API_KEYS: `backend:${secret}` })
  t.ok(err instanceof ConfigError)
  t.notMatch((err as Error).message, secret)
  t.match((err as Error).message, 'backend')
})

t.test('TRUST_PROXY accepts booleans, hop counts and address lists, and names itself when bad', async (t) => {
  const base = { REDIS_URL: 'redis://127.0.0.1:6379' }
  t.equal(loadConfig(base).trustProxy, false)
  t.equal(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxy, 2)
  t.same(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1'])
  t.throws(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' }), /TRUST_PROXY/)
})

t.test('CORS_ORIGINS: origins as browsers send them, or * outside production', async (t) => {
  t.same(loadConfig({}).corsOrigins, [], 'unset: no CORS')
  t.same(loadConfig({ CORS_ORIGINS: ' https://App.Example.com/ , http://localhost:5173,https://app.example.com:443' }).corsOrigins,
    ['https://app.example.com', 'http://localhost:5173'], 'normalized as the Origin header spells them (case, default port, trailing slash), duplicates once')
  t.equal(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins, '*', 'development: any origin')
  t.equal(loadConfig({ NODE_ENV: 'staging', JWT_SECRET: KEY_A, CORS_ORIGINS: '*' }).corsOrigins, '*', 'only production refuses *')
  const err = thrownBy({ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379', API_KEYS: `a:${KEY_A}`, CORS_ORIGINS: '*' })
  t.match((err as Error).message, /CORS_ORIGINS may not be \* in production/)
  t.match((thrownBy({ CORS_ORIGINS: 'https://app.example.com/app' }) as Error).message, 'no path')
})

t.test('REQUEST_HEADERS_TIMEOUT_MS may not exceed REQUEST_TIMEOUT_MS (Node\'s rule, said before Node throws)', async (t) => {
  t.same(loadConfig({ REQUEST_HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '5000' }).timeouts, { headersMs: 5000, requestMs: 5000 })
  const err = thrownBy({ REQUEST_TIMEOUT_MS: '5000' })
  t.ok(err instanceof ConfigError, 'the default headers timeout (10 s) over a 5 s request timeout')
  t.match((err as Error).message, 'REQUEST_HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (5000)')
})

t.test('open development mode defaults RATE_LIMIT_MAX to 6000; with credentials the contract\'s 600', async (t) => {
  t.equal(loadConfig({}).rateLimit.max, OPEN_MODE_RATE_LIMIT_MAX)
  t.equal(OPEN_MODE_RATE_LIMIT_MAX, 6000)
  t.equal(loadConfig({ API_KEYS: `a:${KEY_A}` }).rateLimit.max, DEFAULT_RATE_LIMIT_MAX)
  t.equal(DEFAULT_RATE_LIMIT_MAX, 600)
  t.equal(loadConfig({ JWT_SECRET: KEY_A }).rateLimit.max, 600)
  t.equal(loadConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://r:6379', API_KEYS: `a:${KEY_A}` }).rateLimit.max, 600)
  t.equal(loadConfig({ RATE_LIMIT_MAX: '50' }).rateLimit.max, 50, 'an explicit value always wins, open or not')
  t.equal(loadConfig({ RATE_LIMIT_MAX: ' ' }).rateLimit.max, 6000, 'blank is unset')
})

t.test('tracing is off unless an OTLP endpoint is set; the OTEL_* variables follow the OpenTelemetry specification', async (t) => {
  t.same(loadConfig({}).tracing, { tracesUrl: undefined, serviceName: 'sessiond', sampler: 'parentbased_always_on', samplerRatio: 1 }, 'off by default')
  const on = (env: Record<string, string>): string | undefined => loadConfig(env).tracing.tracesUrl
  t.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), 'http://collector:4318/v1/traces', 'the base endpoint gets the traces path')
  t.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/otlp/' }), 'https://otlp.example.com/otlp/v1/traces', 'under its own path, one slash')
  t.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom' }),
    'http://traces:9999/custom', 'the traces endpoint is used as it is, and wins')
  t.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }), undefined, 'OTEL_SDK_DISABLED turns it off')
  t.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }), undefined, 'blank is unset (the ConfigMap ships it empty)')
  t.match(loadConfig({ OTEL_SERVICE_NAME: 'sessiond-eu', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing,
    { serviceName: 'sessiond-eu', sampler: 'parentbased_traceidratio', samplerRatio: 0.25 })
  t.equal(loadConfig({ OTEL_TRACES_SAMPLER_ARG: '0' }).tracing.samplerRatio, 0)

  for (const [env, variable] of [
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    [{ OTEL_SDK_DISABLED: 'maybe' }, 'OTEL_SDK_DISABLED'],
    [{ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER_ARG: '-0.1' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG']
  ] as Array<[Record<string, string>, string]>) assertRefused(t, env, variable)
})
