// An export of 100 000 sessions through HTTP holds the service's memory flat (contract §9: constant
// memory on any number of sessions), stops reading Redis while its reader does not read, and shows its
// rate. The service runs alone in a child process (test/support/scale-server.ts, seeded through the
// import, whose rate it reports too) so that its memory is measured without the test runner's.
import t from 'tap'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { privateRedis, sleep } from './helper.js'

const SESSIONS = Number(process.env.SESSIOND_SCALE_SESSIONS ?? 100_000)
const MB = 1_048_576

/** Resident memory of a process, from /proc (bytes). */
const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024

t.test(`an export of ${SESSIONS} sessions keeps the service's memory flat and respects a slow reader`, async (t) => {
  const redis = await privateRedis(t)
  const server = spawn(process.execPath, ['--expose-gc', '--import', import.meta.resolve('tsx'), new URL('./support/scale-server.ts', import.meta.url).pathname], {
    env: { PATH: process.env.PATH, REDIS_URL: redis.server.url, KEY_ENV: 'scale', SESSIONS: String(SESSIONS) },
    stdio: ['pipe', 'pipe', 'inherit']
  })
  t.teardown(() => { server.stdin.end(); setTimeout(() => server.kill('SIGKILL'), 2000).unref() })
  const [first] = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string])
  const { port, importSeconds } = JSON.parse(first!) as { port: number, importSeconds: number }
  t.comment(`import: ${SESSIONS} sessions in ${importSeconds.toFixed(1)} s, ${Math.round(SESSIONS / importSeconds)} sessions/s`)

  const watcher = new Redis(redis.server.url)
  t.teardown(() => watcher.disconnect())
  const reads = async (): Promise<number> => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await watcher.info('commandstats'))?.[1] ?? 0)

  await sleep(500)
  const idle = rssOf(server.pid!)
  let peak = idle
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(server.pid!)) }, 20)
  t.teardown(() => clearInterval(sampler))

  const started = Date.now()
  let pausedMs = 0
  const result = await new Promise<{ lines: number, bytes: number, last: string, readInLastSecond: number }>((resolve, reject) => {
    request({ port, path: '/v1/admin/export' }, (response) => {
      let lines = 0
      let bytes = 0
      let tail = Buffer.alloc(0)
      let paused = false
      let readInLastSecond = -1
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
        tail = Buffer.concat([tail, chunk]).subarray(-300)
        // A reader that stops: once the socket buffers are full (the kernel's, up to ~10 MB on loopback,
        // which takes longer to fill on a busy machine), the service must stop reading Redis too. Wait
        // until its reads stall (at most 15 s), then count what it reads in one more second.
        if (!paused && lines > SESSIONS / 5) {
          paused = true
          response.pause()
          const pausedAt = Date.now()
          void (async () => {
            let last = await reads()
            for (let waited = 0; waited < 15_000; waited += 500) {
              await sleep(500)
              const now = await reads()
              if (now === last) break
              last = now
            }
            const before = await reads()
            await sleep(1000)
            readInLastSecond = (await reads()) - before
            pausedMs = Date.now() - pausedAt
            response.resume()
          })()
        }
      })
      response.on('end', () => resolve({ lines, bytes, last: tail.toString().trim().split('\n').at(-1)!, readInLastSecond }))
      response.on('error', reject)
    }).on('error', reject).end()
  })
  clearInterval(sampler)
  const seconds = (Date.now() - started - pausedMs) / 1000
  const growth = (peak - idle) / MB

  t.equal(result.lines, SESSIONS + 2, 'the header, every session, the end line')
  t.same(JSON.parse(result.last), { end: true, sessions: SESSIONS })
  t.ok(result.readInLastSecond >= 0 && result.readInLastSecond < 20, `once its reads stalled, in a further second of the reader's pause (${(pausedMs / 1000).toFixed(1)} s in all) the service read ${result.readInLastSecond} sessions`)
  t.ok(growth < 50, `the service's RSS grew ${growth.toFixed(1)} MB above idle (${(idle / MB).toFixed(0)} MB) during the export`)

  // A reader that goes away: the service stops reading Redis at once.
  await new Promise<void>((resolve, reject) => {
    const req = request({ port, path: '/v1/admin/export' }, (response) => {
      let bytes = 0
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes > 2 * MB) req.destroy()
      })
      response.on('error', () => {})
      response.on('close', () => resolve())
    })
    req.on('error', () => {})
    req.on('close', () => resolve())
    req.end()
    setTimeout(() => reject(new Error('the aborted export did not end')), 30_000).unref()
  })
  await sleep(500)
  const afterAbort = await reads()
  await sleep(1000)
  t.ok((await reads()) - afterAbort < 20, 'after the reader went away the service stopped reading Redis')

  t.comment(`export: ${SESSIONS} sessions, ${(result.bytes / MB).toFixed(1)} MB in ${seconds.toFixed(1)} s (not counting the reader's pause), ` +
    `${Math.round(SESSIONS / seconds)} sessions/s, ${(result.bytes / MB / seconds).toFixed(1)} MB/s; service RSS ${(idle / MB).toFixed(0)} MB idle, +${growth.toFixed(1)} MB at the peak`)
})
