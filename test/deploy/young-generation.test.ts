// Every way the repository starts sessiond for real (the image, npm start, the benchmark) gives V8 the
// same young generation (decision 0729): src/heap.ts states the flags once, and this holds the others to it.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { YOUNG_GENERATION_FLAGS } from '../../src/heap.js'

const root = new URL('../../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

t.test('the image starts the server with the young-generation flags', async (t) => {
  const cmd = read('Dockerfile').split('\n').filter((line) => line.startsWith('CMD ')).at(-1)
  t.ok(cmd, 'the Dockerfile has a CMD')
  t.same(JSON.parse(cmd!.slice('CMD '.length)), ['node', ...YOUNG_GENERATION_FLAGS, 'dist/src/server.js'])
})

t.test('npm start starts the server with them', async (t) => {
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
  t.equal(scripts.start, `exec node ${YOUNG_GENERATION_FLAGS.join(' ')} dist/src/server.js`)
})

t.test('the benchmark starts sessiond with them', async (t) => {
  t.match(read('bench/lib/servers.ts'), /\.\.\.YOUNG_GENERATION_FLAGS, SESSIOND_ENTRY\]/)
})

t.test('with them, the young generation grows to two 16 MB semi-spaces and no further', async (t) => {
  const megabytes = Number(/--max-semi-space-size=(\d+)/.exec(YOUNG_GENERATION_FLAGS.join(' '))?.[1])
  t.equal(megabytes, 16)
  // Objects that survive a scavenge or two make V8 grow the new space to its limit.
  const probe = `
    const v8 = require('node:v8')
    let keep = []
    for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = [] }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    process.stdout.write(String(space.space_size))`
  const size = Number(execFileSync(process.execPath, [...YOUNG_GENERATION_FLAGS, '-e', probe], { encoding: 'utf8' }))
  t.equal(size, 2 * megabytes * 1024 * 1024, `new space ${(size / 1048576).toFixed(1)} MB`)
})
