// Lua script loader in the BullMQ style: each script is lua/<name>-<numberOfKeys>.lua with a header
// listing KEYS, ARGV and Returns; `-- @include "x"` pulls in lua/includes/x.lua once. The include
// "constants" is generated from TypeScript (key order, error codes, limits), so a fact the scripts share
// with the service is stated once. Each script is sent as a LoadedScript (script-call.ts: EVAL once per
// connection, then EVALSHA, and EVAL again on NOSCRIPT).
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { RedisClient } from './client.js'
import { LoadedScript } from './script-call.js'

/** numberOfKeys undefined: `<name>-n.lua`, whose caller passes the number of keys first. */
export interface ScriptDefinition { name: string, numberOfKeys: number | undefined, lua: string }

/**
 * Values the scripts share with TypeScript: numbers and strings are written where used; `{ lua }` values (tables,
 * and functions generated from TypeScript's facts, such as NAMED_SESSION_KEYS) are declared as locals.
 */
export type LuaConstants = Record<string, string | number | { lua: string }>

/** A Lua string literal of any text (\ddd escapes are decimal in Lua). */
export const luaString = (text: string): string => `'${text.replace(/[\\'\n\r\0]/g, (c) => `\\${c.charCodeAt(0).toString(10).padStart(3, '0')}`)}'`

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url))
const INCLUDE = /^--\s*@include\s+"([a-z0-9-]+)"\s*$/gm

/** A number or string constant as a Lua expression (a negative number in parentheses: `x - (-1)`). */
const scalarLiteral = (value: string | number): string =>
  typeof value === 'number' ? (value < 0 ? `(${value})` : String(value)) : luaString(value)

/**
 * The "constants" include: the `{ lua }` constants (tables and generated functions), declared as locals.
 * A number or string constant is not declared but written where it is used (foldConstants).
 */
export function renderConstants (constants: LuaConstants): string {
  return Object.entries(constants)
    .filter((entry): entry is [string, { lua: string }] => typeof entry[1] === 'object')
    .map(([name, value]) => `local ${name} = ${value.lua}\n`)
    .join('')
}

/**
 * A Lua comment, a quoted string, `..` or `...`, or a name (with the `.` or `:` of a field access right
 * before it, which keeps a field name from matching a constant's).
 */
const LUA_TOKEN = /--[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\.\.\.?|[.:]\s*[A-Za-z_]\w*|\b[A-Za-z_]\w*/g

/**
 * Writes each number and string constant into the code where it is used, outside comments and strings
 * (and never as a field name: `x.NAME`). Redis runs a script's whole chunk on every call, so every local
 * the chunk declares and a function captures is an upvalue made and closed per call: 72 constants
 * cost a session script ~2 µs of Redis CPU per call (docs/decisions/0719).
 */
export function foldConstants (lua: string, constants: LuaConstants): string {
  const scalars = new Map<string, string>()
  for (const [name, value] of Object.entries(constants)) if (typeof value !== 'object') scalars.set(name, scalarLiteral(value))
  return lua.replace(LUA_TOKEN, (token) => scalars.get(token) ?? token)
}

/**
 * A top-level definition the includes make: `local function name(…)` up to its `end` in column 0, or a
 * one-line `local NAME = <table, string, name or function … end>` (or `local NAME`), whose removal changes
 * nothing else.
 */
const TOP_LEVEL_DEFINITION = /^local function ([A-Za-z_]\w*)\s*\([^\n]*\n(?:(?:[ \t][^\n]*|--[^\n]*)?\n)*?end[ \t]*(?:\n|$)|^local ([A-Za-z_]\w*)(?: = (?:\{[^\n]*\}|'[^'\n]*'|[A-Za-z_]\w*|function \([^\n]*\bend))?[ \t]*(?:\n|$)/gm

/** How often each name occurs as code (not in a comment or string, not as a field after `.` or `:`). */
function nameCounts (lua: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const [token] of lua.matchAll(LUA_TOKEN)) {
    if (/^[A-Za-z_]/.test(token)) counts.set(token, (counts.get(token) ?? 0) + 1)
  }
  return counts
}

/**
 * Leaves out the includes' helpers and table constants a script never uses, until none is left. Redis
 * runs a script's whole chunk on every call, and each `local function` it runs makes a closure (~0.1 µs
 * in Redis 7.0): a write script carried 5–12 helpers it never calls (docs/decisions/0719).
 */
export function dropUnusedDefinitions (lua: string): string {
  for (;;) {
    const counts = nameCounts(lua)
    let dropped = false
    const next = lua.replace(TOP_LEVEL_DEFINITION, (definition, fn: string | undefined, local: string | undefined) => {
      const name = (fn ?? local)!
      // Used elsewhere when the name occurs more often in the script than in its own definition.
      if ((counts.get(name) ?? 0) > (nameCounts(definition).get(name) ?? 0)) return definition
      dropped = true
      return ''
    })
    if (!dropped) return lua
    lua = next
  }
}

function expandIncludes (source: string, constants: LuaConstants, seen: Set<string>): string {
  return source.replace(INCLUDE, (_line, name: string) => {
    if (seen.has(name)) return ''
    seen.add(name)
    if (name === 'constants') return renderConstants(constants)
    return expandIncludes(readFileSync(join(luaDir, 'includes', `${name}.lua`), 'utf8'), constants, seen)
  })
}

/** `rate-limit-1.lua` → { name: 'rateLimit', numberOfKeys: 1, lua: <source with includes expanded> } */
export function loadScriptDefinitions (constants: LuaConstants, dir: string = luaDir): ScriptDefinition[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^([a-z0-9-]+?)-(\d+|n)\.lua$/.exec(file)
      if (match === null) throw new Error(`Lua script ${file} must be named <name>-<numberOfKeys>.lua (or <name>-n.lua)`)
      const name = match[1]!.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
      const numberOfKeys = match[2] === 'n' ? undefined : Number(match[2])
      return { name, numberOfKeys, lua: dropUnusedDefinitions(foldConstants(expandIncludes(readFileSync(join(dir, file), 'utf8'), constants, new Set()), constants)) }
    })
}

/**
 * Every script, each sent as LoadedScript (script-call.ts) by name. Each is also defined as an ioredis
 * command on the client, for REDIS_WRITES=auto-pipeline, whose batching only ioredis' own commands join.
 */
export function defineScripts (client: RedisClient, constants: LuaConstants): Map<string, LoadedScript> {
  const definitions = loadScriptDefinitions(constants)
  for (const script of definitions) {
    client.defineCommand(script.name, script.numberOfKeys === undefined ? { lua: script.lua } : { numberOfKeys: script.numberOfKeys, lua: script.lua })
  }
  return new Map(definitions.map((s) => [s.name, new LoadedScript(s.lua, s.numberOfKeys)]))
}
