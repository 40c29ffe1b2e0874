// The backup format and the line reader of import, without Redis.
import t from 'tap'
import { Readable } from 'node:stream'
import { ndjsonLines, type NdjsonLine } from '../../src/ndjson-lines.js'
import { BackupLineError, parseBackupLine, sessionBackupFrom, stepsBitmap } from '../../src/domain/backup.js'

async function collect (chunks: Array<string | Buffer>, maxBytes = 1 << 20, maxLineBytes = 1 << 16): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = []
  for await (const line of ndjsonLines(Readable.from(chunks), { maxBytes, maxLineBytes })) out.push(line)
  return out
}

t.test('lines are split across chunks, numbered from 1, blank ones skipped', async (t) => {
  const euro = Buffer.from('{"a":"€"}\n')
  t.same(await collect(['{"a":1}\n{"b"', ':2}\r\n\n  \n', euro.subarray(0, 7), euro.subarray(7), '{"c":3}']), [
    { number: 1, text: '{"a":1}' },
    { number: 2, text: '{"b":2}' },
    { number: 5, text: '{"a":"€"}' },
    { number: 6, text: '{"c":3}' }
  ], 'a character split between chunks is whole; a last line without a newline counts')
})

t.test('a line longer than the cap is reported with its size and never held', async (t) => {
  t.same(await collect(['{"a":1}\n', 'x'.repeat(30), 'y'.repeat(30), '\n{"b":2}\n'], 1 << 20, 40), [
    { number: 1, text: '{"a":1}' },
    { number: 2, tooLong: true, bytes: 60 },
    { number: 3, text: '{"b":2}' }
  ])
})

t.test('past maxBytes the reader stops with payload_too_large', async (t) => {
  await t.rejects(collect(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'], 20), { code: 'payload_too_large' })
})

t.test('the step bitmap is rebuilt from the steps, as the Lua keeps it', async (t) => {
  t.equal(stepsBitmap([]), '')
  t.equal(stepsBitmap(['1|{}']), '1')
  t.equal(stepsBitmap(['', '1|{}', '', '', '1|{}']), '21')
  t.equal(stepsBitmap(['1|{}', '1|{}', '1|{}', '1|{}']), 'f')
})

const session = { id: 'abc', user_id: 'u1', kind: 'generic', state: 'active', version: '2', created_at: '1', updated_at: '2', expires_at: '3', absolute_expires_at: '4', ttl_seconds: '60', total_steps: '3' }

t.test('a session line is checked completely; the local bookkeeping is rebuilt', async (t) => {
  const backup = sessionBackupFrom({ session: { ...session, keys: 'AB', finalized_publish_lease: '9', steps_saved: 'f' }, steps: ['', '5|{"x":1}'] })
  t.same(backup.session, { ...session, steps_saved: '2' }, 'keys and the publish lease dropped, steps_saved from the steps')
  t.same(backup.narrative, {})
  t.equal(backup.finalized, null)
  const spaced = sessionBackupFrom({ session: { ...session, metadata: ' { "b" : [1, 2.50], "1" : "\\u0041" } ', therapeutic_goals: '[ "calm" ]' } })
  t.same([spaced.session.metadata, spaced.session.therapeutic_goals], ['{"1":"A","b":[1,2.5]}', '["calm"]'], 'stored JSON is kept in the text JSON.stringify writes (0726)')
  const refused: Array<[object, RegExp]> = [
    [{ session: { ...session, version: '0' } }, /session.version is not valid/],
    [{ session: { ...session, user_id: 'bad user' } }, /session.user_id/],
    [{ session: Object.fromEntries(Object.entries(session).filter(([field]) => field !== 'expires_at')) }, /session.expires_at is missing/],
    [{ session, steps: ['1|{}', '', '', ''] }, /4 entries for 3 total_steps/],
    [{ session, steps: ['not a step'] }, /steps\[0\]/],
    [{ session, narrative: { 'Bad-Type': '{}' } }, /invalid name/],
    [{ session, narrative: { world: '{"expires_at":1}' } }, /narrative.world must hold/],
    [{ session, scenes: ['{"index":1,"id":"a"}', '{"index":1,"id":"b"}'] }, /scenes\[1\]/],
    [{ session, events: ['[1,2,99]'] }, /events\[0\]/],
    [{ session, finalized: '{}' }, /only a completed one/],
    [{ session: { ...session, state: 'completed', completed_at: '5' } }, /a completed session/],
    [{ session, idempotency: { d1: 'garbage' } }, /idempotency.d1/],
    [{ session, messages: 'no' }, /messages must be an array of strings/],
    [{ session: { ...session, therapeutic_goals: '[1,null]' } }, /session.therapeutic_goals is not valid/],
    [{ session: { ...session, therapeutic_goals: JSON.stringify(Array.from({ length: 33 }, () => 'g')) } }, /session.therapeutic_goals is not valid/],
    [{ session: { ...session, therapeutic_goals: JSON.stringify(['x'.repeat(257)]) } }, /session.therapeutic_goals is not valid/],
    // Names an object inherits are not session fields (a fuzz case once reached Object.prototype.valueOf: a 500).
    ...['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'].map((field): [object, RegExp] =>
      [{ session: JSON.parse(JSON.stringify(session).replace(/^\{/, `{${JSON.stringify(field)}:"x",`)) }, new RegExp(`session.${field} is not a session field`)]),
    // …nor is an entry named __proto__ dropped on the way (it was: assigning it to a plain object changed nothing).
    [JSON.parse(`{"session":${JSON.stringify(session)},"idempotency":{"__proto__":"garbage"}}`), /idempotency.__proto__ is not a stored record/]
  ]
  for (const [line, message] of refused) {
    t.throws(() => sessionBackupFrom(line as Record<string, unknown>), message, JSON.stringify(line).slice(0, 100))
  }
})

t.test('lines are told apart: header, session, end, error; anything else is refused', async (t) => {
  t.match(parseBackupLine('{"format":"sessiond-export","format_version":1,"exported_at":"x","source":{}}'), { kind: 'header' })
  t.match(parseBackupLine('{"end":true,"sessions":3}'), { kind: 'end', sessions: 3 })
  t.match(parseBackupLine('{"error":{"code":"c","detail":"d"}}'), { kind: 'error', code: 'c', detail: 'd' })
  t.match(parseBackupLine(JSON.stringify({ session })), { kind: 'session' })
  for (const [text, code] of [['nope', 'invalid_json'], ['[1]', 'invalid_line'], ['{"x":1}', 'invalid_line'], ['{"format":"other"}', 'invalid_line'], ['{"end":true}', 'invalid_line']]) {
    let thrown: unknown
    try { parseBackupLine(text!) } catch (err) { thrown = err }
    t.ok(thrown instanceof BackupLineError && thrown.code === code, `${text}: ${code}`)
  }
})
