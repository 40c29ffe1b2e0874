// `npx sessiond rotate-keys` (contract §13): every stored value — under an older key, or plaintext from
// before encryption was on — ends up sealed under the first key, responses unchanged; a second run
// rewrites nothing; a write that lands between a session's read and its rewrite is kept; afterwards
// the old key can leave ENCRYPTION_KEYS.
import t from 'tap'
import { PassThrough, Readable } from 'node:stream'
import { buildTestApp, buildTestStore, createSession, json } from './helper.js'
import { SECRET, everythingStored, fillSession } from './encryption-fixture.js'
import { run } from '../src/cli/main.js'

const OLD = `k0:${Buffer.alloc(32, 2).toString('base64')}`
const NEW = `k1:${Buffer.alloc(32, 1).toString('base64')}`

async function rotateKeys (env: Record<string, string>): Promise<{ code: number, report: any, stderr: string }> {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: false })
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const code = await run(['rotate-keys'], { stdin: Readable.from([]), stdout, stderr: stderr as unknown as NodeJS.WriteStream, env })
  const text = Buffer.concat(out).toString()
  return { code, report: text === '' ? null : JSON.parse(text), stderr: Buffer.concat(err).toString() }
}

t.test('rotate-keys seals everything under the first key; the old key can then go; a second run changes nothing', async (t) => {
  const plain = await buildTestApp(t)
  const env = { KEY_ENV: plain.config.keys.env }
  const before = await buildTestApp(t, { ...env, ENCRYPTION_KEYS: OLD })
  const ids = [await fillSession(plain.app, true, 'plain-user'), await fillSession(before.app, true, 'old-user'), await fillSession(before.app, false, 'old-user-2')]
  const reads = (id: string, user: string): string[] => [`/v1/sessions/${id}/summary?touch=false`, `/v1/sessions/${id}/messages`, `/v1/sessions/${id}/choices`,
    `/v1/sessions/${id}/result`, `/v1/users/${user}/progress`, '/v1/admin/finalized']
  const users = ['plain-user', 'old-user', 'old-user-2']
  const answers = async (app: typeof plain.app): Promise<unknown[]> =>
    await Promise.all(ids.flatMap((id, i) => reads(id, users[i]!)).map(async (url) => {
      const response = await app.inject({ url })
      return { url, status: response.statusCode, body: json(response) }
    }))
  const rotating = await buildTestApp(t, { ...env, ENCRYPTION_KEYS: `${NEW},${OLD}` })
  const expected = await answers(rotating.app)

  const cliEnv = { REDIS_URL: plain.config.redis.url!, KEY_ENV: plain.config.keys.env, ENCRYPTION_KEYS: `${NEW},${OLD}` }
  const first = await rotateKeys(cliEnv)
  t.equal(first.code, 0, first.stderr)
  t.match(first.report, { key_id: 'k1', sessions: { examined: 3, rewritten: 3, gone: 0 } })
  t.ok(first.report.values > 20, `${first.report.values} values sealed anew`)

  const stored = await everythingStored(plain.redis, await plain.allKeys({ bookkeeping: true }))
  t.notMatch(stored, '\u0001v1.k0.', 'a SCAN finds no value under the old key id')
  t.notMatch(stored, SECRET, 'nor any plaintext content')

  const after = await buildTestApp(t, { ...env, ENCRYPTION_KEYS: NEW })
  const answered = await answers(after.app)
  // The finalized stream's entries were appended again (entries cannot change): same results, new entry ids.
  const withoutEntryIds = (list: unknown[]): unknown[] => JSON.parse(JSON.stringify(list).replace(/"id":"\d+-\d+"/g, '"id":"-"').replace(/"next_cursor":"[^"]*"/g, '"next_cursor":"-"').replace(/"request_id":"[^"]*"/g, '"request_id":"-"'))
  t.same(withoutEntryIds(answered), withoutEntryIds(expected), 'every read answers as before, with the old key removed from ENCRYPTION_KEYS')

  const second = await rotateKeys({ ...cliEnv, ENCRYPTION_KEYS: NEW })
  t.match(second.report, { sessions: { examined: 3, rewritten: 0, current: 3 }, values: 0 }, 'a second run rewrites nothing')
})

t.test('a write that lands between the read and the rewrite is kept: the session is read again', async (t) => {
  const old = await buildTestApp(t, { ENCRYPTION_KEYS: OLD })
  const session = await createSession(old.app, { metadata: { note: SECRET } })
  await old.app.inject({ method: 'POST', url: `/v1/sessions/${session.id}/messages`, payload: { role: 'user', content: 'first' } })
  const { repos } = await buildTestStore(t, { KEY_ENV: old.config.keys.env, ENCRYPTION_KEYS: `${NEW},${OLD}` })
  let interfered = false
  const report = await repos.rotator!.run({
    afterRead: async (id) => {
      if (interfered) return
      interfered = true
      const response = await old.app.inject({ method: 'POST', url: `/v1/sessions/${id}/messages`, payload: { role: 'user', content: 'meanwhile' } })
      t.equal(response.statusCode, 201)
    }
  })
  t.equal(report.retries, 1, 'the compare-and-set failed once and the session was read again')
  const both = await buildTestApp(t, { KEY_ENV: old.config.keys.env, ENCRYPTION_KEYS: NEW })
  const messages = json(await both.app.inject(`/v1/sessions/${session.id}/messages`)).messages
  t.same(messages.map((m: { content: string }) => m.content), ['first', 'meanwhile'], 'the concurrent write is there, sealed under the new key')
  t.same(json(await both.app.inject(`/v1/sessions/${session.id}`)).metadata, { note: SECRET })
})

t.test('rotate-keys without ENCRYPTION_KEYS says what it needs', async (t) => {
  const test = await buildTestApp(t)
  const ran = await rotateKeys({ REDIS_URL: test.config.redis.url!, KEY_ENV: test.config.keys.env })
  t.equal(ran.code, 2)
  t.match(ran.stderr, 'rotate-keys needs ENCRYPTION_KEYS')
})
