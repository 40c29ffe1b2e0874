// Lua script loader in the BullMQ style: each script is lua/<name>-<numberOfKeys>.lua with a header
// listing KEYS, ARGV and return codes; `-- @include "x"` pulls in lua/includes/x.lua. defineCommand is
// called once per client, which also gives EVALSHA with a transparent fallback to EVAL on NOSCRIPT.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { RedisClient } from './client.js'

export interface ScriptDefinition { name: string, numberOfKeys: number, lua: string }

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url))
const INCLUDE = /^--\s*@include\s+"([a-z0-9-]+)"\s*$/gm

function expandIncludes (source: string, seen: Set<string> = new Set()): string {
  return source.replace(INCLUDE, (_line, name: string) => {
    if (seen.has(name)) return ''
    seen.add(name)
    return expandIncludes(readFileSync(join(luaDir, 'includes', `${name}.lua`), 'utf8'), seen)
  })
}

/** `save-step-9.lua` → { name: 'saveStep', numberOfKeys: 9 } */
export function loadScriptDefinitions (dir: string = luaDir): ScriptDefinition[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^([a-z0-9-]+?)-(\d+)\.lua$/.exec(file)
      if (match === null) throw new Error(`Lua script ${file} must be named <name>-<numberOfKeys>.lua`)
      const name = match[1]!.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
      return { name, numberOfKeys: Number(match[2]), lua: expandIncludes(readFileSync(join(dir, file), 'utf8')) }
    })
}

let cached: ScriptDefinition[] | undefined

export function defineScripts (client: RedisClient): Set<string> {
  cached ??= loadScriptDefinitions()
  for (const script of cached) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua })
  }
  return new Set(cached.map((s) => s.name))
}
