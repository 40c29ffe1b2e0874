// The last step of `npm run build`: the compiled server reads its Lua scripts next to the compiled
// loader (copied afresh, so a script removed from the sources is gone from the build too), the command
// line (the package's bin) is made executable, and the stamp tells scripts/build-if-stale.mjs when the
// build last finished.
import { chmodSync, cpSync, rmSync, writeFileSync } from 'node:fs'
rmSync('dist/src/redis/lua', { recursive: true, force: true })
cpSync('src/redis/lua', 'dist/src/redis/lua', { recursive: true })
chmodSync('dist/src/cli/main.js', 0o755)
writeFileSync('dist/.build-stamp', `${new Date().toISOString()}\n`)
