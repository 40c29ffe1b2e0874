// sessionJson writes a regular record in one pass and hands anything else to the general path: for
// every record both give the same JSON (the route-level test holds it equal to what GET answers).
import t from 'tap'
import { sessionJson, sessionListJson } from '../../src/domain/session-json.js'
import { sessionFromRecord, type SessionRecord } from '../../src/domain/session-record.js'

const regular: SessionRecord = {
  id: 's1', user_id: 'u "1"', kind: 'onboarding', state: 'active', safety_level: 'none', therapeutic_goals: '["calm"]',
  current_scene_id: 'scène', total_steps: '3', metadata: '{"a":1}', ttl_seconds: '3600', version: '7', schema_version: '2',
  created_at: '1764000000000', updated_at: '1764000001000', expires_at: '1764003601000', absolute_expires_at: '1766592000000'
}

t.test('a regular record is written as the general path writes it', async (t) => {
  t.equal(sessionJson(regular), JSON.stringify(sessionFromRecord(regular)))
  const completed = { ...regular, completed_at: '1764000002000', workspace_id: 'w' }
  t.equal(sessionJson(completed), JSON.stringify(sessionFromRecord(completed)))
  const edges = { ...regular, total_steps: '-0', ttl_seconds: '', completed_at: '', workspace_id: '', current_scene_id: '' }
  t.equal(sessionJson(edges), JSON.stringify(sessionFromRecord(edges)), '-0, empty numbers and empty texts')
  t.equal(sessionListJson([regular, completed], 'c"'), `{"sessions":[${sessionJson(regular)},${sessionJson(completed)}],"next_cursor":"c\\""}`)
})

t.test('what is not regular takes the general path', async (t) => {
  const cases: Array<[string, SessionRecord]> = [
    ['a number that is not an integer', { ...regular, total_steps: '2.5' }],
    ['a timestamp that is not a number', { ...regular, updated_at: 'soon' }],
    ['a completion time that is not an integer', { ...regular, completed_at: '1764000002000.5' }],
    ['a required field missing', { ...regular, kind: undefined as unknown as string }],
    ['an older schema_version', { ...regular, schema_version: '1', goals: 'calm, focus' }],
    ['no schema_version (the first one)', { ...regular, schema_version: undefined as unknown as string, goals: 'calm' }]
  ]
  for (const [name, record] of cases) t.equal(sessionJson(record), JSON.stringify(sessionFromRecord(record)), name)
  t.match(JSON.parse(sessionJson(cases[0]![1])), { total_steps: 2.5 }, 'the value as the general path reads it')
})
