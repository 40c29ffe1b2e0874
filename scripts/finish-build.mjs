// The last step of `npm run build`: the compiled server reads its Lua scripts next to the compiled
// loader, and the stamp tells scripts/build-if-stale.mjs when the build last finished.
import { cpSync, writeFileSync } from 'node:fs'
cpSync('src/redis/lua', 'dist/src/redis/lua', { recursive: true })
writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`)
