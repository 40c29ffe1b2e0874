import t from 'tap'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { dropUnusedDefinitions, foldConstants, loadScriptDefinitions, luaString, renderConstants } from '../../src/redis/script-loader.js'
import { luaConstants, SCRIPT_NAMES } from '../../src/redis/scripts.js'
import { SCRIPT_ERRORS, StaleWriteError, unwrapScriptReply } from '../../src/redis/script-errors.js'
import { isRedisUnavailable } from '../../src/redis/unavailable.js'
import { SESSION_KEY_TYPES, SCRIPT_KEY_TYPES, createKeys } from '../../src/redis/keys.js'
import { EVENTS_RETAINED, luaEventConstants } from '../../src/domain/events.js'
import { AppError } from '../../src/errors.js'
import { LISTED_FIELDS, SESSION_FIELDS, unpackSessionRecord } from '../../src/domain/session-record.js'
import { testRedis } from '../helper.js'

const luaDir = new URL('../../src/redis/lua/', import.meta.url)
const scriptFiles = readdirSync(luaDir).filter((f) => f.endsWith('.lua'))
const includeFiles = readdirSync(new URL('includes/', luaDir)).filter((f) => f.endsWith('.lua'))
const includeSource = (name: string): string => readFileSync(new URL(`includes/${name}.lua`, luaDir), 'utf8')
const keys = createKeys({ system: 'sessiond', env: 'test' })
const constants = luaConstants({ publishCommand: 'PUBLISH' }, keys)
const definitions = loadScriptDefinitions(constants)
/** Every Lua source as written (scripts and includes), for what the scripts say literally. */
const sources = [
  ...scriptFiles.map((f) => readFileSync(new URL(f, luaDir), 'utf8')),
  ...includeFiles.map((f) => readFileSync(new URL(`includes/${f}`, luaDir), 'utf8'))
].join('\n')

function thrownBy (fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

function scratchDir (t: { teardown: (fn: () => void) => void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-lua-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

t.test('the script name and its number of keys come from the file name', async (t) => {
  const dir = scratchDir(t, { 'save-step-9.lua': 'return 1', 'ping-0.lua': 'return 2', 'a2b-c3-12.lua': 'return 3', 'notes.txt': 'x' })
  const byName = Object.fromEntries(loadScriptDefinitions({}, dir).map((s) => [s.name, s]))
  t.same(Object.keys(byName).sort(), ['a2bC3', 'ping', 'saveStep'], 'only .lua files, kebab-case → camelCase')
  t.match(byName.saveStep, { numberOfKeys: 9, lua: 'return 1' })
  t.match(byName.ping, { numberOfKeys: 0 })
  t.match(byName.a2bC3, { numberOfKeys: 12 })
})

t.test('a script file without <name>-<numberOfKeys>.lua is refused with its name', async (t) => {
  for (const bad of ['save-step.lua', 'SaveStep-1.lua', 'save_step-1.lua']) {
    const dir = scratchDir(t, { [bad]: 'return 1' })
    t.throws(() => loadScriptDefinitions({}, dir), { message: new RegExp(bad.replace('.', '\\.')) })
  }
})

t.test('@include pulls in the include file once, in place of the directive; "constants" is generated', async (t) => {
  const dir = scratchDir(t, { 'uses-page-1.lua': '-- header\n-- @include "page"\n-- @include "page"\n-- @include "constants"\nreturn take_page(LIST, ANSWER)\n' })
  const [script] = loadScriptDefinitions({ ANSWER: 42, MODE: 'PUBLISH', LIST: { lua: '{1, 2}' } }, dir)
  t.ok(script!.lua.startsWith('-- header\n'))
  t.ok(script!.lua.includes(includeSource('page')), 'the include text is in the script')
  t.equal(script!.lua.split('local function take_page').length, 2, 'a second include of the same file adds nothing')
  t.ok(script!.lua.includes('local LIST = {1, 2}\n'), 'a table constant becomes a Lua local')
  t.notMatch(script!.lua, /local (ANSWER|MODE)\b/, 'a number or string constant is written where it is used, not declared')
  t.notMatch(script!.lua, /^--\s*@include\s/m, 'no directive is left')
  t.ok(script!.lua.trimEnd().endsWith('return take_page(LIST, 42)'))
})

t.test('a script leaves out the helpers and table constants it never uses, also those only unused ones use', async (t) => {
  const lua = [
    '-- header',
    'local USED = {1, 2}',
    "local UNUSED = {'a'}",
    "local ONLY_IN_UNUSED = 'x'",
    'local NOW',
    'local function helper(a)',
    '  return a + #USED',
    'end',
    '',
    'local function unused_helper()',
    '  -- helper(1) in a comment is no use',
    '  return ONLY_IN_UNUSED .. NOW',
    'end',
    'local function recursive(n)',
    '  if n == 0 then return 0 end',
    '  return recursive(n - 1)',
    'end',
    'local s = {}',
    "return helper(s.unused_helper) .. 'UNUSED' .. s:recursive()"
  ].join('\n')
  t.equal(dropUnusedDefinitions(lua), [
    '-- header',
    'local USED = {1, 2}',
    'local function helper(a)',
    '  return a + #USED',
    'end',
    '',
    'local s = {}',
    "return helper(s.unused_helper) .. 'UNUSED' .. s:recursive()"
  ].join('\n'), 'a name in a string, a comment, a field or its own body is not a use')
  const kept = 'local KEYS = (function (passed)\n  return passed\nend)(KEYS)\nlocal function odd(x)\nreturn x\nend\nreturn 1'
  t.equal(dropUnusedDefinitions(kept), kept, 'what is not a one-line local or an indented function body stays')
  for (const script of definitions) {
    const names = [...script.lua.matchAll(/^local function ([A-Za-z_]\w*)/gm)].map((m) => m[1]!)
    const code = script.lua.replace(/--[^\n]*/g, '').replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    for (const name of names) t.ok(code.split(new RegExp(`(?<![.:\\w])${name}\\b`)).length > 2, `${script.name} uses ${name}`)
  }
})

t.test('the Lua constants are generated from the TypeScript facts: key order, error codes, limits', async (t) => {
  SESSION_KEY_TYPES.forEach((type, i) => t.equal(constants[`K_${type.toUpperCase()}`], i + 1, `K_${type.toUpperCase()}`))
  for (const [name, { code }] of Object.entries(SCRIPT_ERRORS)) t.equal(constants[`E_${name}`], code)
  t.equal(constants.EVENTS_RETAINED, EVENTS_RETAINED)
  t.equal(luaConstants({ publishCommand: 'SPUBLISH' }, keys).PUBLISH_COMMAND, 'SPUBLISH')
  t.match(renderConstants(constants), /^local SESSION_FIELDS = \{'id', /m)
  t.notMatch(renderConstants(constants), /\bK_SESSION\b/, 'numbers and strings are not declared: foldConstants writes them in place')
})

t.test('foldConstants writes numbers and strings where they are used, never in comments, strings or field names', async (t) => {
  const lua = [
    "-- K_SESSION stays in a comment",
    "local a = KEYS[K_SESSION] .. MODE .. 'MODE' .. \"K_SESSION\"",
    'local b = s.K_SESSION or x:MODE() or y . K_SESSION',
    'if code == E_GONE then return { E_GONE, ... } end',
    'local c = 1 - E_GONE',
    'local K_SESSIONS = K_SESSION_X',
    "local d = 'a \\' K_SESSION'"
  ].join('\n')
  t.equal(foldConstants(lua, { K_SESSION: 1, MODE: "PUB'SUB", E_GONE: -1, LIST: { lua: '{}' } }), [
    "-- K_SESSION stays in a comment",
    "local a = KEYS[1] .. 'PUB\\039SUB' .. 'MODE' .. \"K_SESSION\"",
    'local b = s.K_SESSION or x:MODE() or y . K_SESSION',
    'if code == (-1) then return { (-1), ... } end',
    'local c = 1 - (-1)',
    'local K_SESSIONS = K_SESSION_X',
    "local d = 'a \\' K_SESSION'"
  ].join('\n'))
})

t.test('no script keeps a name of a number or string constant outside comments and strings', async (t) => {
  const scalars = Object.entries(constants).filter(([, value]) => typeof value !== 'object').map(([name]) => name)
  const pattern = new RegExp(`(?<![.:\\w])(${scalars.join('|')})\\b`)
  for (const script of definitions) {
    const code = script.lua.replace(/--[^\n]*/g, '').replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    t.notMatch(code, pattern, `${script.name}: every constant written in place`)
  }
})

t.test('every script opens with a header that lists KEYS, ARGV and Returns', async (t) => {
  t.ok(scriptFiles.length > 0)
  for (const file of scriptFiles) {
    const text = readFileSync(new URL(file, luaDir), 'utf8')
    const header = text.split('\n').filter((line, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('--'))).join('\n')
    t.ok(header.length > 0, `${file} opens with a comment`)
    for (const section of ['KEYS:', 'ARGV:', 'Returns:']) t.match(header, section, `${file} documents ${section}`)
  }
})

t.test('every script file has its typed method name, and every name its file', async (t) => {
  t.same(definitions.map((d) => d.name).sort(), [...SCRIPT_NAMES].sort())
})

t.test('scripts on session keys take their keys from the caller: every key on a Cluster, the script keys elsewhere', async (t) => {
  for (const script of definitions) {
    if (!script.lua.includes('local KEYS = (function (passed)')) continue
    t.equal(script.numberOfKeys, undefined, `${script.name} is a -n script`)
  }
})

t.test('a session script names every session key exactly as the key builder does, from the keys it is passed', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  const lua = loadScriptDefinitions(constants).find((s) => s.name === 'readSession')!.lua
    .replace(/(\nif #PASSED_KEYS ~= \d+ then KEYS = NAMED_SESSION_KEYS\(PASSED_KEYS\) end\n)[\s\S]*$/, '$1').replace(/$/, `\nlocal all = {}\nfor i = 1, ${SESSION_KEY_TYPES.length} do all[i] = KEYS[i] end\nreturn all\n`)
  for (const id of ['abc', 'x'.repeat(64), "it's%1[]", 'a-b_c', '}{']) {
    const named = await redis.eval(lua, SCRIPT_KEY_TYPES.length, ...keys.scriptKeys(id))
    t.same(named, keys.sessionKeys(id), `session ${JSON.stringify(id)}`)
    const passed = await redis.eval(lua, SESSION_KEY_TYPES.length, ...keys.sessionKeys(id))
    t.same(passed, keys.sessionKeys(id), `session ${JSON.stringify(id)}, every key passed (a Cluster)`)
  }
})

t.test('a Lua string literal holds any text', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  for (const text of ['plain', "it's", 'back\\slash', 'line\nbreak\r', 'nul\u0000', 'ends]]', 'é€']) {
    t.equal(await redis.eval(`return ${luaString(text)}`, 0), text)
  }
})

t.test('every error code a script answers with is in the one table, and every entry is used', async (t) => {
  const used = new Set([...sources.matchAll(/\bE_([A-Z_]+)\b/g)].map((m) => m[1]!))
  t.same([...used].sort(), Object.keys(SCRIPT_ERRORS).sort(), 'no undeclared code, no dead code')
  t.notMatch(sources, /return \{ ?-\d/, 'no script answers a bare negative number')
})

t.test('every event a script writes is named by a code of the event vocabulary, never a literal', async (t) => {
  const used = new Set([...sources.matchAll(/\bEV_([A-Z_]+)\b/g)].map((m) => `EV_${m[1]!}`))
  t.ok(used.size >= 10, 'the scripts write their events with EV_* constants')
  for (const name of used) t.ok(name in luaEventConstants(), `${name} is generated from src/domain/events.ts`)
  t.notMatch(sources, /'(?:session|step|narrative|scene|choice|message)\.[a-z_]+'/, 'no event type written as a string literal')
})

t.test('every script compiles on a real Redis', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  for (const script of definitions) {
    t.match(await redis.script('LOAD', script.lua), /^[0-9a-f]{40}$/, `${script.name} compiles`)
  }
})

t.test('negative script codes become their typed errors, other replies pass through', async (t) => {
  t.same(unwrapScriptReply([0, 'a', 'b']), [0, 'a', 'b'])
  t.same(unwrapScriptReply(3), [3])
  const codes: Array<[number, string, number]> = [
    [-1, 'session_not_found', 404], [-2, 'version_conflict', 412], [-3, 'session_not_writable', 409],
    [-4, 'session_finalized', 409], [-5, 'step_not_found', 404], [-6, 'not_found', 404], [-7, 'scene_mismatch', 409],
    [-8, 'idempotency_key_reused', 422], [-10, 'validation_failed', 400]
  ]
  for (const [status, code, http] of codes) {
    const thrown = thrownBy(() => unwrapScriptReply([status, '7']))
    t.ok(thrown instanceof AppError, `${status} throws an AppError`)
    t.match(thrown, { code, status: http }, `${status} → ${code}`)
  }
  t.match(thrownBy(() => unwrapScriptReply([-2, '7'])), { extensions: { current_version: 7 } }, 'the current version travels with the conflict')
  t.match(thrownBy(() => unwrapScriptReply([-7, ''])), { extensions: { current_scene_id: null } }, 'no current scene reads as null')
  const stale = thrownBy(() => unwrapScriptReply([-9, '12']))
  t.ok(stale instanceof StaleWriteError, '-9: changed since it was read')
  t.equal((stale as StaleWriteError).currentVersion, 12)
  t.throws(() => unwrapScriptReply([-99]), { message: /unknown status -99/ })
})

t.test('transport trouble counts as Redis unavailable (503), a bad command as a bug (500)', async (t) => {
  const withCode = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code })
  const named = (name: string): Error => Object.assign(new Error('x'), { name })
  for (const err of [
    withCode('ECONNREFUSED'), withCode('ECONNRESET'), withCode('ETIMEDOUT'), withCode('EPIPE'), withCode('ENOTFOUND'),
    new Error('Command timed out'),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Connection is closed.'),
    new Error('LOADING Redis is loading the dataset in memory'),
    new Error("READONLY You can't write against a read only replica."),
    new Error('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no'),
    new Error('CLUSTERDOWN The cluster is down'),
    new Error('TRYAGAIN Multiple keys request during rehashing of slot'),
    new Error('BUSY Redis is busy running a script.'),
    new Error("OOM command not allowed when used memory > 'maxmemory'."),
    new Error('MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.'),
    named('MaxRetriesPerRequestError'), named('ClusterAllFailedError')
  ]) {
    t.ok(isRedisUnavailable(err), `${err.name}: ${err.message}`)
  }
  for (const err of [
    new Error('ERR wrong number of arguments for \'get\' command'),
    new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
    new Error('ERR user_script:3: Script attempted to access nonexistent global variable'),
    new TypeError('cannot read properties of undefined'),
    new Error('NOAUTH Authentication required.')
  ]) {
    t.notOk(isRedisUnavailable(err), err.message)
  }
  for (const notAnError of [undefined, null, 'Command timed out', { message: 'Command timed out' }]) {
    t.notOk(isRedisUnavailable(notAnError), `${JSON.stringify(notAnError)} is not an Error`)
  }
})

t.test('the errors a real Redis and ioredis produce are classified as they should be', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  const failure = async (fn: () => Promise<unknown>): Promise<unknown> => await fn().then(() => undefined, (err: unknown) => err)

  await redis.set('scripts-test:string', 'x', 'EX', 60)
  const wrongType = await failure(async () => await redis.lpush('scripts-test:string', 'y'))
  t.match(wrongType, { message: /^WRONGTYPE/ })
  t.notOk(isRedisUnavailable(wrongType), 'WRONGTYPE is a bug')
  const luaError = await failure(async () => await redis.eval('return redis.call("nope")', 0))
  t.ok(luaError instanceof Error)
  t.notOk(isRedisUnavailable(luaError), 'a Lua error is a bug')

  const toClosedPort = (): Redis => {
    const client = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    client.on('error', () => {})
    t.teardown(() => client.disconnect())
    return client
  }
  const offline = await failure(async () => await toClosedPort().get('k'))
  t.ok(isRedisUnavailable(offline), `no connection: ${(offline as Error).message}`)
  const refused = await failure(async () => await toClosedPort().connect())
  t.ok(isRedisUnavailable(refused), `refused: ${(refused as Error).message}`)

  await redis.config('SET', 'maxmemory', '1')
  t.teardown(async () => { await redis.config('SET', 'maxmemory', '0') })
  const oom = await failure(async () => await redis.set('scripts-test:oom', 'x', 'EX', 60))
  t.match(oom, { message: /^OOM/ })
  t.ok(isRedisUnavailable(oom), 'a Redis out of memory (maxmemory, noeviction) cannot store anything: 503, not a bug')
})

t.test('a packed session carries SESSION_FIELDS in order; unpacking leaves out what the hash lacks', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  const lua = loadScriptDefinitions(constants).find((s) => s.name === 'updateSession')!.lua
    .replace(/\nlocal s = load_session\(ARGV\[1\]\)[\s\S]*$/, '\nreturn session_packed({ id = ARGV[1], user_id = ARGV[2], metadata = ARGV[3], goals = ARGV[4] })\n')
  const packed = await redis.eval(lua, SCRIPT_KEY_TYPES.length, ...keys.scriptKeys('s1'), 's1', 'user-1', '{"a":"\\u0000"}', 'calm') as string
  t.equal(packed.split('\u0000').length, SESSION_FIELDS.length)
  t.same(unpackSessionRecord(packed), { id: 's1', user_id: 'user-1', metadata: '{"a":"\\u0000"}', goals: 'calm' })
  t.throws(() => unpackSessionRecord('a\u0000b'), /2 fields/)
  const listed = SESSION_FIELDS.slice(0, LISTED_FIELDS).map((field) => (field === 'kind' ? 'generic' : ''))
  t.same(unpackSessionRecord(listed.join('\u0000'), LISTED_FIELDS), { kind: 'generic' }, 'a listing carries the first LISTED_FIELDS')
  t.throws(() => unpackSessionRecord(listed.join('\u0000')), /fields, not/, 'and only where the caller expects a listing')
  t.equal(SESSION_FIELDS[0], 'id', 'the listing takes the id from the index (LISTED_VALUES)')
  t.equal(SESSION_FIELDS[LISTED_FIELDS - 1], 'goals', 'and reads goals only for an older document')
  const withNul = await redis.eval(lua, SCRIPT_KEY_TYPES.length, ...keys.scriptKeys('s1'), 's1', 'user-1', '{}', 'a\u0000b') as string
  t.ok(withNul.startsWith('{'), 'a field holding a NUL makes the session go as JSON')
  t.same(unpackSessionRecord(withNul), { id: 's1', user_id: 'user-1', metadata: '{}', goals: 'a\u0000b' })
})

t.test('a write loads only the fields it names, and reading one it did not load is an error, never nil', async (t) => {
  const server = await testRedis()
  const redis = new Redis(server.url)
  t.teardown(() => redis.disconnect())
  const lua = (probe: string): string => loadScriptDefinitions(constants).find((s) => s.name === 'saveStep')!.lua
    .replace(/\nlocal s, err = guard_write[\s\S]*$/, `\nlocal s = load_for_write(ARGV[1], { 'total_steps' })\nif not s then return 'absent' end\n${probe}\n`)
  const id = 'partial-load'
  await redis.hset(keys.session(id), { id, user_id: 'u1', state: 'active', version: '3', expires_at: String(Date.now() + 60_000), total_steps: '5', metadata: '{"big":true}' })
  t.teardown(async () => { await redis.del(keys.session(id)) })
  const run = async (probe: string, owner = 'u1'): Promise<unknown> => await redis.eval(lua(probe), SCRIPT_KEY_TYPES.length, ...keys.scriptKeys(id), owner)
  t.same(await run("return { s.version, s.total_steps, s.completed_at or 'absent', tostring(s.keys) }"), ['3', '5', 'absent', 'false'],
    'loaded fields; a loaded one the hash lacks reads as absent (false), without an error')
  await t.rejects(run('return s.metadata'), /session field metadata was not loaded/)
  t.equal(await run('return 1', 'u2'), 'absent', 'another owner\'s session is not visible')
})
