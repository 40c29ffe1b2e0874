// The compiled server reads its Lua scripts next to the compiled loader.
import { cpSync } from 'node:fs'
cpSync('src/redis/lua', 'dist/src/redis/lua', { recursive: true })
