// Seeding worker: creates sessions (and their steps and messages) through sessiond's HTTP API with
// many requests in flight, in its own process so that the harness stays idle. Started by
// bench/lib/seed-client.ts with fork(); → ready, ← plan, → progress…, → result.
import { HttpClient } from './lib/http.js'
import { signUserToken } from './lib/jwt.js'
import { messageContent, stepData, type SeedGroup, type SeedPlan, type SeedResult, type SeedWorkerMessage } from './lib/seed-plan.js'

/** `sent`: called once the message is written (a large result is still on its way when send returns). */
function send (message: SeedWorkerMessage, sent: () => void = () => {}): void {
  process.send?.(message, sent)
}

interface Job { group: SeedGroup, userId: string, token: string }

async function seed (plan: SeedPlan): Promise<SeedResult> {
  const http = new HttpClient(plan.url, plan.concurrency)
  const started = Date.now()
  const ids: SeedResult['ids'] = {}
  const tokens = new Map<string, string>()
  // Jobs in user-major rounds: every user of a group gets its first session before any gets a second.
  const sizes = plan.groups.map((group) => group.users.count * group.sessionsPerUser)
  const total = sizes.reduce((a, b) => a + b, 0)
  for (const group of plan.groups) ids[group.name] = {}
  function jobAt (index: number): Job {
    let g = 0
    while (index >= sizes[g]!) index -= sizes[g++]!
    const group = plan.groups[g]!
    const userId = `${group.users.prefix}${index % group.users.count}`
    let token = tokens.get(userId)
    if (token === undefined) { token = signUserToken(plan.jwtSecret, userId); tokens.set(userId, token) }
    return { group, userId, token }
  }
  let next = 0
  let done = 0
  let requests = 0
  let lastProgress = Date.now()

  async function runJob ({ group, userId, token }: Job): Promise<void> {
    const headers = { authorization: `Bearer ${token}` }
    const created = await http.expect2xx({ method: 'POST', path: '/v1/sessions', headers, body: JSON.stringify({ ...group.session, user_id: userId }) })
    requests++
    const id = (JSON.parse(created.body) as { id: string }).id
    const kept = (ids[group.name]![userId] ??= [])
    if (kept.length < group.keepIds) kept.push(id)
    for (let n = 1; n <= (group.steps?.count ?? 0); n++) {
      await http.expect2xx({ method: 'PUT', path: `/v1/sessions/${id}/steps/${n}`, headers, body: JSON.stringify(stepData(group.steps!.bytes, n)) })
      requests++
    }
    for (let n = 1; n <= (group.messages?.count ?? 0); n++) {
      await http.expect2xx({ method: 'POST', path: `/v1/sessions/${id}/messages`, headers, body: JSON.stringify({ role: n % 2 === 0 ? 'assistant' : 'user', content: messageContent(group.messages!.chars, n) }) })
      requests++
    }
  }

  async function lane (): Promise<void> {
    while (next < total) {
      await runJob(jobAt(next++))
      done++
      if (Date.now() - lastProgress > 5000) {
        lastProgress = Date.now()
        send({ type: 'progress', sessions: done, total, seconds: (Date.now() - started) / 1000 })
      }
    }
  }

  await Promise.all(Array.from({ length: plan.concurrency }, lane))
  http.close()
  return { ids, sessions: done, requests, seconds: (Date.now() - started) / 1000 }
}

process.on('message', (plan: SeedPlan) => {
  seed(plan).then(
    (result) => { send({ type: 'result', result }, () => process.disconnect?.()) },
    (err: Error) => { send({ type: 'error', message: err.message }, () => process.disconnect?.()) }
  )
})
send({ type: 'ready' })
