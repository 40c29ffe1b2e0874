// The last step of `npm run build`: the compiled server reads its Lua scripts next to the compiled
// loader (copied afresh, so a script removed from the sources is gone from the build too), and the
// stamp tells scripts/build-if-stale.mjs when the build last finished.
import { cpSync, rmSync, writeFileSync } from 'node:fs'
rmSync('dist/src/redis/lua', { recursive: true, force: true })
cpSync('src/redis/lua', 'dist/src/redis/lua', { recursive: true })
writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`)
