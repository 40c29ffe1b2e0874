// Lua script loader in the BullMQ style: each script is lua/<name>-<numberOfKeys>.lua with a header
// listing KEYS, ARGV and Returns; `-- @include "x"` pulls in lua/includes/x.lua once. The include
// "constants" is generated from TypeScript (key order, error codes, limits), so a fact the scripts share
// with the service is stated once. defineCommand is called once per client, which also gives EVALSHA
// with a transparent fallback to EVAL on NOSCRIPT.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { RedisClient } from './client.js'

/** numberOfKeys undefined: `<name>-n.lua`, whose caller passes the number of keys first. */
export interface ScriptDefinition { name: string, numberOfKeys: number | undefined, lua: string }

/** Values the generated include declares as `local NAME = value`; `{ lua }` is written as it is (a table). */
export type LuaConstants = Record<string, string | number | { lua: string }>

/** A Lua string literal of any text (\ddd escapes are decimal in Lua). */
export const luaString = (text: string): string => `'${text.replace(/[\\'\n\r\0]/g, (c) => `\\${c.charCodeAt(0).toString(10).padStart(3, '0')}`)}'`

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url))
const INCLUDE = /^--\s*@include\s+"([a-z0-9-]+)"\s*$/gm

export function renderConstants (constants: LuaConstants): string {
  return Object.entries(constants)
    .map(([name, value]) => `local ${name} = ${typeof value === 'number' ? String(value) : typeof value === 'string' ? luaString(value) : value.lua}`)
    .join('\n') + '\n'
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
      return { name, numberOfKeys, lua: expandIncludes(readFileSync(join(dir, file), 'utf8'), constants, new Set()) }
    })
}

/** Defines every script as a command on the client; returns each name with its number of keys. */
export function defineScripts (client: RedisClient, constants: LuaConstants): Map<string, number | undefined> {
  const definitions = loadScriptDefinitions(constants)
  for (const script of definitions) {
    client.defineCommand(script.name, script.numberOfKeys === undefined ? { lua: script.lua } : { numberOfKeys: script.numberOfKeys, lua: script.lua })
  }
  return new Map(definitions.map((s) => [s.name, s.numberOfKeys]))
}
