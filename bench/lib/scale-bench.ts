// `--scale`: does a request cost more as the data grows?
//  - live sessions: two stacks (redis-server + sessiond each), one holding --small-live sessions and one
//    holding --live; GET session is measured on both, alternating, round after round;
//  - sessions per user: on the small stack, POST session and GET user sessions (?limit=10) for users
//    with 10 sessions vs one user with --user-sessions sessions, alternating.
// All data is created through sessiond's HTTP API by the seeding worker; its rate is reported.
import { randomBytes } from 'node:crypto'
import type { Options } from './options.js'
import type { Workspace } from './workspace.js'
import { startRedis, type PrivateRedis } from './redis-server.js'
import { startSessiond } from './servers.js'
import type { ServerProcess } from './processes.js'
import { seedThroughApi } from './seed-client.js'
import type { SeedResult } from './seed-plan.js'
import type { LoadSpec, SlotSpec } from './load-spec.js'
import { measure, runLoadWorker, type Measurement } from './measure.js'
import { tokenCache } from './fixture.js'
import { spread, type Spread } from './stats.js'
import { MAX_SCALE_RATIO } from '../targets.js'
import { runMeta } from './output.js'
import { mark, ms, num, ratioCell, table } from './format.js'

interface Stack { name: string, redis: PrivateRedis, sessiond: ServerProcess }

const SESSION_BODY = { kind: 'generic', metadata: { plan: 'pro', locale: 'en-GB', source: 'bench' } }
/** Sessions of each small user. */
const SMALL_USER_SESSIONS = 10

interface Seeding { label: string, sessions: number, requests: number, seconds: number, sessionsPerSecond: number }

const seedingOf = (label: string, r: SeedResult): Seeding =>
  ({ label, sessions: r.sessions, requests: r.requests, seconds: r.seconds, sessionsPerSecond: r.sessions / r.seconds })

interface Side { label: string, stack: Stack, spec: LoadSpec }

export interface Comparison {
  title: string
  small: string
  large: string
  rounds: Array<{ round: number, small: Measurement, large: Measurement }>
  /** Per round: small req/s ÷ large req/s; large CPU/req (server + Redis) ÷ small; large p99 ÷ small. */
  rpsSmallOverLarge: Spread
  cpuLargeOverSmall: Spread
  p99LargeOverSmall: Spread
  checked: Array<'rps' | 'cpu' | 'p99'>
}

const cpuOf = (m: Measurement): number => m.serverCpuMicrosPerRequest + m.redisCpuMicrosPerRequest

async function compare (title: string, small: Side, large: Side, rounds: number, checked: Comparison['checked']): Promise<Comparison> {
  const rows: Comparison['rounds'] = []
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [small, large] : [large, small]
    const got = new Map<Side, Measurement>()
    for (const side of order) {
      const m = await measure(side.spec, side.stack.sessiond.pid, side.stack.redis)
      got.set(side, m)
      const bad = m.non2xx + m.errors + m.timeouts
      process.stderr.write(`  ${title} — ${side.label}: ${num(m.rps)} req/s, p99 ${ms(m.p99)} ms, ${num(m.serverCpuMicrosPerRequest)} + ${num(m.redisCpuMicrosPerRequest)} µs/req${bad > 0 ? `  !!! ${bad} non-2xx/errors ${JSON.stringify(m.statusCodes)}` : ''}\n`)
    }
    rows.push({ round, small: got.get(small)!, large: got.get(large)! })
  }
  return {
    title,
    small: small.label,
    large: large.label,
    rounds: rows,
    rpsSmallOverLarge: spread(rows.map((r) => r.small.rps / r.large.rps)),
    cpuLargeOverSmall: spread(rows.map((r) => cpuOf(r.large) / cpuOf(r.small))),
    p99LargeOverSmall: spread(rows.map((r) => r.large.p99 / r.small.p99)),
    checked
  }
}

export async function runScale (opts: Options, ws: Workspace): Promise<{ report: unknown, markdown: string, failures: number }> {
  const jwtSecret = randomBytes(32).toString('hex')
  const tokenOf = tokenCache(jwtSecret)
  const startStack = async (name: string): Promise<Stack> => {
    const redis = await startRedis(ws.dir, `redis-${name}`)
    ws.add(redis.stop)
    const sessiond = await startSessiond({ redisUrl: redis.url, jwtSecret, dir: ws.dir }, { logName: `sessiond-${name}` })
    ws.add(async () => { await sessiond.stop() })
    return { name, redis, sessiond }
  }
  const small = await startStack('small')
  const large = await startStack('large')
  const seedings: Seeding[] = []

  // Live sessions: about 100 per user, at least one user per connection (the GET pool).
  const seedLive = async (stack: Stack, live: number): Promise<string[]> => {
    const users = Math.max(opts.connections, Math.ceil(live / 100))
    const perUser = Math.ceil(live / users)
    process.stderr.write(`bench: seeding ${users * perUser} live sessions into the ${stack.name} stack\n`)
    const r = await seedThroughApi({
      url: stack.sessiond.url,
      jwtSecret,
      concurrency: opts.concurrency,
      groups: [{ name: 'live', users: { prefix: 'live-', count: users }, sessionsPerUser: perUser, session: SESSION_BODY, keepIds: 1 }]
    }, `${stack.name} stack`)
    seedings.push(seedingOf(`${stack.name} stack: ${r.sessions} live sessions`, r))
    process.stderr.write(`bench: ${r.sessions} sessions in ${r.seconds.toFixed(1)} s (${num(r.sessions / r.seconds)}/s)\n`)
    return Array.from({ length: opts.connections }, (_, slot) => r.ids.live![`live-${slot}`]![0]!)
  }
  const getSpec = (stack: Stack, ids: string[], duration: number): LoadSpec => ({
    url: stack.sessiond.url,
    connections: opts.connections,
    duration,
    slots: ids.map((id, slot) => ({ headers: { authorization: `Bearer ${tokenOf(`live-${slot}`)}` }, requests: [{ method: 'GET', path: `/v1/sessions/${id}` }] }))
  })
  const smallIds = await seedLive(small, opts.smallLive)
  const largeIds = await seedLive(large, opts.live)
  const keys = { small: await small.redis.client.dbsize(), large: await large.redis.client.dbsize() }
  if (opts.warmup > 0) {
    await runLoadWorker(getSpec(small, smallIds, opts.warmup))
    await runLoadWorker(getSpec(large, largeIds, opts.warmup))
  }
  const comparisons: Comparison[] = []
  process.stderr.write('bench: GET session, small vs large store\n')
  comparisons.push(await compare(
    `GET session: ${num(opts.smallLive)} vs ${num(opts.live)} live sessions`,
    { label: `${num(opts.smallLive)} live`, stack: small, spec: getSpec(small, smallIds, opts.duration) },
    { label: `${num(opts.live)} live`, stack: large, spec: getSpec(large, largeIds, opts.duration) },
    opts.rounds, ['p99', 'cpu']
  ))

  // Sessions per user, on the small stack. Enough small users that POSTs leave each with ≤ 15 sessions.
  const smallUsers = Math.max(opts.connections, Math.ceil((opts.scaleRequests * (opts.rounds + 1)) / 5))
  process.stderr.write(`bench: seeding ${smallUsers} users × ${SMALL_USER_SESSIONS} sessions and one user × ${opts.userSessions}\n`)
  const perUser = await seedThroughApi({
    url: small.sessiond.url,
    jwtSecret,
    concurrency: opts.concurrency,
    groups: [
      { name: 'small', users: { prefix: 'scale-small-', count: smallUsers }, sessionsPerUser: SMALL_USER_SESSIONS, session: SESSION_BODY, keepIds: 0 },
      { name: 'big', users: { prefix: 'scale-big-', count: 1 }, sessionsPerUser: opts.userSessions, session: SESSION_BODY, keepIds: 0 }
    ]
  }, 'per-user')
  seedings.push(seedingOf(`${smallUsers} users × ${SMALL_USER_SESSIONS} + one user × ${opts.userSessions}`, perUser))
  const smallSlots = (build: (userId: string) => SlotSpec['requests']): SlotSpec[] =>
    Array.from({ length: smallUsers }, (_, i) => ({ headers: { authorization: `Bearer ${tokenOf(`scale-small-${i}`)}` }, requests: build(`scale-small-${i}`) }))
  const bigSlot = (build: (userId: string) => SlotSpec['requests']): SlotSpec[] =>
    [{ headers: { authorization: `Bearer ${tokenOf('scale-big-0')}` }, requests: build('scale-big-0') }]
  const list = (userId: string): SlotSpec['requests'] => [{ method: 'GET', path: `/v1/users/${userId}/sessions?limit=10` }]
  const post = (userId: string): SlotSpec['requests'] => [{ method: 'POST', path: '/v1/sessions', body: JSON.stringify({ ...SESSION_BODY, user_id: userId }) }]
  const spec = (slots: SlotSpec[], amount?: number): LoadSpec => ({ url: small.sessiond.url, connections: opts.connections, duration: opts.duration, amount, slots })
  if (opts.warmup > 0) {
    await runLoadWorker(spec(smallSlots(list)))
    await runLoadWorker(spec(bigSlot(list)))
    await runLoadWorker(spec(smallSlots(post), Math.min(200, opts.scaleRequests)))
  }
  process.stderr.write('bench: GET user sessions and POST session, small vs large user\n')
  comparisons.push(await compare(
    `GET user sessions ?limit=10: ${SMALL_USER_SESSIONS} vs ${num(opts.userSessions)} sessions of the user`,
    { label: `${SMALL_USER_SESSIONS} sessions`, stack: small, spec: spec(smallSlots(list)) },
    { label: `${num(opts.userSessions)} sessions`, stack: small, spec: spec(bigSlot(list)) },
    opts.rounds, ['rps', 'cpu']
  ))
  comparisons.push(await compare(
    `POST session: user with ${SMALL_USER_SESSIONS} vs ${num(opts.userSessions)} sessions (${opts.scaleRequests} requests each)`,
    { label: `${SMALL_USER_SESSIONS} sessions`, stack: small, spec: spec(smallSlots(post), opts.scaleRequests) },
    { label: `${num(opts.userSessions)} sessions`, stack: small, spec: spec(bigSlot(post), opts.scaleRequests) },
    opts.rounds, ['rps', 'cpu']
  ))

  // What the POST measurements leave behind (warm-up POSTs go to the small users).
  const perUserSizes = {
    smallUsers,
    smallUserSessionsAtMost: SMALL_USER_SESSIONS + Math.ceil((opts.scaleRequests * opts.rounds + (opts.warmup > 0 ? Math.min(200, opts.scaleRequests) : 0)) / smallUsers),
    largeUserSessionsAtStart: opts.userSessions,
    largeUserSessionsAtEnd: opts.userSessions + opts.scaleRequests * opts.rounds
  }
  const failures = comparisons.reduce((sum, c) => sum + c.rounds.reduce((s, r) => s + [r.small, r.large].reduce((t, m) => t + m.non2xx + m.errors + m.timeouts, 0), 0), 0)
  const checks = comparisons.map((c) => {
    const values = { rps: c.rpsSmallOverLarge.median, cpu: c.cpuLargeOverSmall.median, p99: c.p99LargeOverSmall.median }
    return Object.fromEntries(c.checked.map((k) => [k, values[k] === null ? null : values[k]! <= MAX_SCALE_RATIO])) as Record<string, boolean | null>
  })
  const meta = { ...runMeta(), redisVersion: (await small.redis.info('server')).redis_version, rounds: opts.rounds, duration: opts.duration, connections: opts.connections, keys }
  const cell = (c: Comparison, k: 'rps' | 'cpu' | 'p99', s: Spread, i: number): string =>
    `${ratioCell(s)}${c.checked.includes(k) ? ` ${mark(checks[i]![k] ?? null)}` : ''}`
  const markdown = [
    `Run ${meta.date} on commit \`${meta.commit}\`: ${opts.rounds} alternating round(s) × ${opts.duration} s, ${opts.connections} connections; ratios ≤ ${MAX_SCALE_RATIO} are the target (✓/✗ where checked).`,
    '',
    table(['comparison', 'small: req/s, p99 ms', 'large: req/s, p99 ms', 'req/s small ÷ large', 'CPU/req large ÷ small', 'p99 large ÷ small'],
      comparisons.map((c, i) => {
        const med = (pick: (m: Measurement) => number, side: 'small' | 'large'): number | null => spread(c.rounds.map((r) => pick(r[side]))).median
        return [
          c.title,
          `${num(med((m) => m.rps, 'small'))}, ${ms(med((m) => m.p99, 'small'))}`,
          `${num(med((m) => m.rps, 'large'))}, ${ms(med((m) => m.p99, 'large'))}`,
          cell(c, 'rps', c.rpsSmallOverLarge, i), cell(c, 'cpu', c.cpuLargeOverSmall, i), cell(c, 'p99', c.p99LargeOverSmall, i)
        ]
      })),
    '',
    'CPU/req is sessiond CPU + Redis CPU per request. Seeding through the API:',
    '',
    ...seedings.map((s) => `- ${s.label}: ${num(s.sessions)} sessions, ${num(s.requests)} requests in ${s.seconds.toFixed(1)} s (${num(s.sessionsPerSecond)} sessions/s)`),
    `- keys in Redis after seeding the live stores: small ${num(keys.small)}, large ${num(keys.large)}`,
    `- POST session grows the users it writes to: small users end with at most ${perUserSizes.smallUserSessionsAtMost} sessions, the large user with ${num(perUserSizes.largeUserSessionsAtEnd)}`,
    failures > 0 ? `\n**${failures} non-2xx responses or request errors: see scale-latest.json.**` : ''
  ].join('\n') + '\n'
  return { report: { kind: 'scale', meta, seedings, perUser: perUserSizes, comparisons, checks }, markdown, failures }
}
