// What the harness asks of the seeding worker (bench/seed.ts): sessions created through the HTTP API,
// with steps and messages under them, many requests in flight at once.

export interface SeedGroup {
  name: string
  /** Users `${prefix}${i}` for i in [0, count), each signing its own token. */
  users: { prefix: string, count: number }
  sessionsPerUser: number
  /** POST /v1/sessions body, without user_id. */
  session: Record<string, unknown>
  /** PUT steps 1..count with a JSON object of about `bytes` bytes each. */
  steps?: { count: number, bytes: number }
  /** POST count messages of `chars` characters each. */
  messages?: { count: number, chars: number }
  /** Session ids returned per user: the first `keepIds` created (0 for none). */
  keepIds: number
}

export interface SeedPlan {
  url: string
  jwtSecret: string
  concurrency: number
  groups: SeedGroup[]
}

export interface SeedResult {
  /** Per group name: user id → session ids (the first keepIds of each user). */
  ids: Record<string, Record<string, string[]>>
  sessions: number
  requests: number
  seconds: number
}

export type SeedWorkerMessage =
  | { type: 'ready' }
  | { type: 'progress', sessions: number, total: number, seconds: number }
  | { type: 'result', result: SeedResult }
  | { type: 'error', message: string }

/** A JSON object of about `bytes` bytes, different per `n`. */
export function stepData (bytes: number, n: number): Record<string, unknown> {
  const base = { step: n, answer: '', done: true }
  const room = Math.max(0, bytes - JSON.stringify(base).length)
  return { ...base, answer: 'abcdefghij'.repeat(Math.ceil(room / 10)).slice(0, room) }
}

export function messageContent (chars: number, n: number): string {
  const text = `Message ${n}: how does the next chapter begin, and who is waiting at the old harbour? `
  return text.repeat(Math.ceil(chars / text.length)).slice(0, chars)
}
