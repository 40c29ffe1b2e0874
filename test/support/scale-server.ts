// The service alone in its own process, for test/backup-scale.test.ts: seeds SESSIONS sessions through
// the import (a made-up backup, line by line), listens, and prints {"port","importSeconds"} on one line.
// It stops when its stdin closes. The test measures this process's memory, free of the test runner's.
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { NdjsonLine } from '../../src/ndjson-lines.js'

const SESSIONS = Number(process.env.SESSIONS ?? 100_000)

/** The backup of SESSIONS onboarding sessions with two steps, two messages and three events each (~1 KB a line). */
async function * syntheticBackup (nowMs: number): AsyncGenerator<NdjsonLine> {
  yield { number: 1, text: JSON.stringify({ format: 'sessiond-export', format_version: 1, exported_at: new Date(nowMs).toISOString(), source: { key_system: 'sessiond', key_env: 'scale' } }) }
  for (let i = 0; i < SESSIONS; i++) {
    const id = `scale${String(i).padStart(8, '0')}`
    const at = nowMs - 60_000 + (i % 1000)
    const session = {
      id, user_id: `user-${i % 1000}`, workspace_id: '', kind: 'onboarding', state: 'active', safety_level: 'none', therapeutic_goals: '["focus"]',
      current_scene_id: '', total_steps: '23', metadata: `{"plan":"pro","n":${i}}`, ttl_seconds: '3600', version: '6', schema_version: '2',
      created_at: String(at), updated_at: String(at + 5), expires_at: String(nowMs + 3_600_000), absolute_expires_at: String(at + 86_400_000),
      completed_at: '', message_seq: '2', progress_updated_at: String(at + 2)
    }
    const messages = [1, 2].map((seq) => JSON.stringify({ id: `${id}m${seq}`, seq, created_at: at + 2 + seq, role: seq === 1 ? 'user' : 'assistant', content: `message ${seq} of session ${i}` }))
    yield {
      number: i + 2,
      text: JSON.stringify({
        session,
        steps: [`${at + 1}|{"name":"Ada","age":${20 + (i % 50)}}`, `${at + 2}|{"goal":"sleep better"}`],
        messages,
        events: [`[1,${at},1,"onboarding"]`, `[2,${at + 1},5,1]`, `[6,${at + 5},10,"${id}m2",2,"assistant"]`]
      })
    }
  }
  yield { number: SESSIONS + 2, text: JSON.stringify({ end: true, sessions: SESSIONS }) }
}

const app = await buildApp(loadConfig({ ...process.env, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000000' }))
const started = Date.now()
const report = await app.repos.importer.importLines(syntheticBackup(Date.now()), { concurrency: 32 })
const importSeconds = (Date.now() - started) / 1000
if (report.imported !== SESSIONS) throw new Error(`seeding imported ${report.imported} of ${SESSIONS}: ${JSON.stringify(report)}`)
await app.listen({ port: 0, host: '127.0.0.1' })
;(globalThis as { gc?: () => void }).gc?.()
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port, importSeconds })}\n`)
process.stdin.resume()
process.stdin.on('end', () => { void app.close() })
