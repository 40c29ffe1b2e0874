// The measured scenarios: sessiond's requests and the baselines', each as a pool of slots (one per
// connection by default) so that writes spread over as many sessions for sessiond as for its peers.
import type { SlotSpec } from './load-spec.js'
import type { ServerName } from './servers.js'
import { messageContent, stepData, type SeedGroup } from './seed-plan.js'

export type Peer = 'peer-get-session' | 'peer-put-step'

export interface Scenario {
  id: string
  title: string
  server: ServerName
  /** Reads compare with (b) and (d), writes with (c) and (e). */
  kind: 'read' | 'write'
  /** For sessiond scenarios: the hand-written peer and the plain Redis baseline it is compared with. */
  peer?: Peer
  baseline?: 'redis-get' | 'redis-lua'
  /** Seed groups this scenario needs (see fixtureGroups). */
  needs: FixturePool[]
  slots: (f: Fixture) => SlotSpec[]
}

export type FixturePool = 'get' | 'step' | 'chat' | 'patch' | 'summary' | 'list'

/** What seeding produced: per slot, a user with a token and one session of each pool. */
export interface Fixture {
  slots: number
  userOf: (slot: number) => string
  tokenOf: (userId: string) => string
  /** pool → session id per slot (the pool's session of user userOf(slot)). */
  pools: Partial<Record<FixturePool, string[]>>
}

export const STEPS_PER_ONBOARDING = 23
export const STEP_BYTES = 200
export const MESSAGE_CHARS = 100
export const LIST_SESSIONS_PER_USER = 20

export const slotUser = (slot: number): string => `bench-u-${slot}`
export const listUser = (slot: number): string => `bench-list-${slot}`
export const creatorUser = (slot: number): string => `bench-new-${slot}`

const SESSION_BODY = { metadata: { plan: 'pro', locale: 'en-GB', source: 'bench' }, therapeutic_goals: ['focus', 'sleep'] }

/** The seed groups behind each pool, for `slots` users (names match FixturePool). */
export function fixtureGroups (pools: Set<FixturePool>, slots: number): SeedGroup[] {
  const users = { prefix: 'bench-u-', count: slots }
  const all: Record<FixturePool, SeedGroup> = {
    get: { name: 'get', users, sessionsPerUser: 1, session: { kind: 'generic', ...SESSION_BODY }, keepIds: 1 },
    step: { name: 'step', users, sessionsPerUser: 1, session: { kind: 'onboarding', ...SESSION_BODY }, keepIds: 1 },
    chat: { name: 'chat', users, sessionsPerUser: 1, session: { kind: 'chat', ...SESSION_BODY }, keepIds: 1 },
    patch: { name: 'patch', users, sessionsPerUser: 1, session: { kind: 'generic', ...SESSION_BODY }, keepIds: 1 },
    summary: {
      name: 'summary',
      users,
      sessionsPerUser: 1,
      session: { kind: 'onboarding', ...SESSION_BODY },
      steps: { count: STEPS_PER_ONBOARDING, bytes: STEP_BYTES },
      keepIds: 1
    },
    list: { name: 'list', users: { prefix: 'bench-list-', count: slots }, sessionsPerUser: LIST_SESSIONS_PER_USER, session: { kind: 'generic', ...SESSION_BODY }, keepIds: 0 }
  }
  return (Object.keys(all) as FixturePool[]).filter((pool) => pools.has(pool)).map((pool) => all[pool])
}

const auth = (f: Fixture, userId: string): Record<string, string> => ({ authorization: `Bearer ${f.tokenOf(userId)}` })

const perSlot = (f: Fixture, build: (slot: number) => SlotSpec): SlotSpec[] => Array.from({ length: f.slots }, (_, slot) => build(slot))

const stepRequests = (prefix: string): SlotSpec['requests'] =>
  Array.from({ length: STEPS_PER_ONBOARDING }, (_, i) => ({ method: 'PUT', path: `${prefix}/steps/${i + 1}`, body: JSON.stringify(stepData(STEP_BYTES, i + 1)) }))

const pool = (f: Fixture, name: FixturePool, slot: number): string => {
  const id = f.pools[name]?.[slot]
  if (id === undefined) throw new Error(`no seeded ${name} session for slot ${slot}`)
  return id
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'get-session', title: 'GET session', server: 'sessiond', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'get-session-lru', title: 'GET session, CACHE_MODE=lru', server: 'sessiond-lru', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'get-session-alike', title: 'GET session, defaults (experiments\' control)', server: 'sessiond-alike', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'get-session-autopipe', title: 'GET session, REDIS_WRITES=auto-pipeline', server: 'sessiond-autopipe', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'get-session-plain', title: 'GET session, REDIS_WRITES=plain', server: 'sessiond-plain', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'get-session-notouch', title: 'GET session ?touch=false', server: 'sessiond', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'get', s)}?touch=false` }] }))
  },
  {
    id: 'put-step', title: 'PUT step', server: 'sessiond', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/v1/sessions/${pool(f, 'step', s)}`) }))
  },
  {
    id: 'put-step-alike', title: 'PUT step, defaults (experiments\' control)', server: 'sessiond-alike', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/v1/sessions/${pool(f, 'step', s)}`) }))
  },
  {
    id: 'put-step-autopipe', title: 'PUT step, REDIS_WRITES=auto-pipeline', server: 'sessiond-autopipe', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/v1/sessions/${pool(f, 'step', s)}`) }))
  },
  {
    id: 'put-step-plain', title: 'PUT step, REDIS_WRITES=plain', server: 'sessiond-plain', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/v1/sessions/${pool(f, 'step', s)}`) }))
  },
  {
    id: 'put-step-v8heap', title: 'PUT step, HEAP_GROWING_PERCENT=0', server: 'sessiond-v8heap', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/v1/sessions/${pool(f, 'step', s)}`) }))
  },
  {
    id: 'post-message', title: 'POST message', server: 'sessiond', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['chat'],
    slots: (f) => perSlot(f, (s) => ({
      headers: auth(f, f.userOf(s)),
      requests: [1, 2, 3, 4].map((n) => ({ method: 'POST', path: `/v1/sessions/${pool(f, 'chat', s)}/messages`, body: JSON.stringify({ role: n % 2 === 0 ? 'assistant' : 'user', content: messageContent(MESSAGE_CHARS, n) }) }))
    }))
  },
  {
    id: 'post-session', title: 'POST session', server: 'sessiond', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: [],
    slots: (f) => perSlot(f, (s) => ({
      headers: auth(f, creatorUser(s)),
      requests: [{ method: 'POST', path: '/v1/sessions', body: JSON.stringify({ user_id: creatorUser(s), kind: 'generic', ...SESSION_BODY }) }]
    }))
  },
  {
    id: 'get-user-sessions', title: 'GET user sessions (20)', server: 'sessiond', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['list'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, listUser(s)), requests: [{ method: 'GET', path: `/v1/users/${listUser(s)}/sessions` }] }))
  },
  {
    id: 'patch-session', title: 'PATCH session (metadata)', server: 'sessiond', kind: 'write', peer: 'peer-put-step', baseline: 'redis-lua', needs: ['patch'],
    slots: (f) => perSlot(f, (s) => ({
      headers: auth(f, f.userOf(s)),
      requests: Array.from({ length: 8 }, (_, n) => ({ method: 'PATCH', path: `/v1/sessions/${pool(f, 'patch', s)}`, body: JSON.stringify({ metadata: { bench: { round: n }, last_screen: `screen-${n}` } }) }))
    }))
  },
  {
    id: 'get-summary', title: 'GET summary (23 steps)', server: 'sessiond', kind: 'read', peer: 'peer-get-session', baseline: 'redis-get', needs: ['summary'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/v1/sessions/${pool(f, 'summary', s)}/summary` }] }))
  },
  {
    id: 'bare', title: '(a) bare Fastify JSON', server: 'bare', kind: 'read', needs: [],
    slots: () => [{ headers: {}, requests: [{ method: 'GET', path: '/' }] }]
  },
  {
    id: 'redis-get', title: '(b) Fastify + Redis GET 1 KiB', server: 'redis-get', kind: 'read', needs: [],
    slots: () => [{ headers: {}, requests: [{ method: 'GET', path: '/blob' }] }]
  },
  {
    id: 'redis-lua', title: '(c) Fastify + one Lua write', server: 'redis-lua', kind: 'write', needs: [],
    slots: (f) => perSlot(f, (s) => ({ headers: {}, requests: [{ method: 'POST', path: `/write/${s}`, body: '{"v":1}' }] }))
  },
  {
    id: 'peer-get-session', title: '(d) peer of GET session', server: 'peer-get-session', kind: 'read', needs: ['get'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: [{ method: 'GET', path: `/sessions/${pool(f, 'get', s)}` }] }))
  },
  {
    id: 'peer-put-step', title: '(e) peer of PUT step', server: 'peer-put-step', kind: 'write', needs: ['step'],
    slots: (f) => perSlot(f, (s) => ({ headers: auth(f, f.userOf(s)), requests: stepRequests(`/sessions/${pool(f, 'step', s)}`) }))
  }
]
