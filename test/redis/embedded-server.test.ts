import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  REDIS_SERVER_MISSING_MESSAGE, RedisServerMissingError, findRedisServer, startEmbeddedRedis
} from '../../src/redis/embedded-server.js'
import { isAlive } from '../helper.js'

const here = dirname(fileURLToPath(import.meta.url))
const modulePath = resolve(here, '../../src/redis/embedded-server.ts')
const projectRoot = resolve(here, '../..')

function tempDir (t: { teardown (fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-embedded-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Sends a raw RESP command and resolves with the first reply line, or the connection error's code. */
function rawCommand (port: number, command: string): Promise<string> {
  return new Promise((resolveReply) => {
    const socket = connect({ host: '127.0.0.1', port })
    let reply = ''
    socket.setTimeout(2000, () => { socket.destroy(); resolveReply('TIMEOUT') })
    socket.on('error', (err: NodeJS.ErrnoException) => resolveReply(err.code ?? 'ERROR'))
    // A server on its way down may accept a connection and close it unanswered: without this the promise
    // would never settle (no error, and the idle timer goes with the socket), and the test ends unfinished.
    socket.on('close', () => resolveReply('CLOSED'))
    socket.on('connect', () => socket.write(`${command}\r\n`))
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) {
        socket.destroy()
        resolveReply(reply.split('\r\n')[0] ?? '')
      }
    })
  })
}

async function refusesWithin (port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await rawCommand(port, 'PING') === 'ECONNREFUSED') return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

t.test('an embedded redis answers PING on a loopback port and keeps an AOF in dataDir', async (t) => {
  const dataDir = join(tempDir(t), 'redis')
  const redis = await startEmbeddedRedis({ dataDir })
  t.teardown(() => redis.stop())

  t.equal(redis.url, `redis://127.0.0.1:${redis.port}`)
  t.equal(redis.dataDir, dataDir)
  t.ok(isAlive(redis.pid), 'pid is a live process')
  t.equal(await rawCommand(redis.port, 'PING'), '+PONG')
  t.ok(existsSync(join(dataDir, 'appendonlydir')) || existsSync(join(dataDir, 'appendonly.aof')), 'AOF is on')
})

t.test('stop() makes the port refuse connections and can be called twice', async (t) => {
  const redis = await startEmbeddedRedis({ dataDir: tempDir(t), appendOnly: false })
  t.equal(await rawCommand(redis.port, 'PING'), '+PONG')

  await Promise.all([redis.stop(), redis.stop()])
  await redis.stop()

  t.equal(await rawCommand(redis.port, 'PING'), 'ECONNREFUSED')
  t.notOk(isAlive(redis.pid), 'redis-server has exited')
})

t.test('appendOnly: false leaves no AOF behind', async (t) => {
  const dataDir = tempDir(t)
  const redis = await startEmbeddedRedis({ dataDir, appendOnly: false })
  t.equal(await rawCommand(redis.port, 'SET k v'), '+OK')
  await redis.stop()
  t.same(readdirSync(dataDir), [])
})

t.test('without redis-server on the search path it says how to get one', async (t) => {
  const emptyDir = tempDir(t)
  t.equal(findRedisServer(emptyDir), null)
  const err = await startEmbeddedRedis({ dataDir: join(emptyDir, 'data'), searchPath: emptyDir })
    .then(() => new Error('it started'), (e: unknown) => e as Error)
  t.type(err, RedisServerMissingError)
  t.notOk(existsSync(join(emptyDir, 'data')), 'no data dir is created for nothing')
  t.match(err.message, /sudo apt-get install -y redis-server/)
  t.match(err.message, /brew install redis/)
  t.match(err.message, /docker compose up -d redis/)
  t.match(err.message, /REDIS_URL=redis:\/\/127\.0\.0\.1:6379/)
  t.match(err.message, /REDIS_CLUSTER_NODES/)
  t.match(err.message, /REDIS_SENTINELS/)
})

t.test('the npm pretest hook prints the same instructions when redis-server is missing', async (t) => {
  const emptyDir = tempDir(t)
  const hook = spawnSync(process.execPath, [join(projectRoot, 'scripts/ensure-redis-server.mjs'), '--for-tests'], {
    cwd: emptyDir,
    env: { PATH: emptyDir, SESSIOND_AUTO_INSTALL: '0' },
    encoding: 'utf8'
  })
  t.equal(hook.status, 1)
  t.equal(hook.stderr.trim(), REDIS_SERVER_MISSING_MESSAGE)
})

t.test('process.env.PATH is searched by default', async (t) => {
  const emptyDir = tempDir(t)
  const savedPath = process.env.PATH
  process.env.PATH = emptyDir
  t.teardown(() => { process.env.PATH = savedPath })
  await t.rejects(startEmbeddedRedis({ dataDir: join(emptyDir, 'data') }), RedisServerMissingError)
})

t.test('a port that is taken fails the start with redis-server\'s own words', async (t) => {
  const blocker = createServer()
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
  t.teardown(() => blocker.close())
  const address = blocker.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0

  await t.rejects(
    startEmbeddedRedis({ dataDir: tempDir(t), appendOnly: false, port }),
    { message: /exited during start-up[\s\S]*(in use|Failed listening)/ }
  )
})

t.test('another redis already on the port is not taken for ours', async (t) => {
  const first = await startEmbeddedRedis({ dataDir: tempDir(t), appendOnly: false })
  t.teardown(() => first.stop())

  await t.rejects(
    startEmbeddedRedis({ dataDir: tempDir(t), appendOnly: false, port: first.port }),
    { message: /exited during start-up/ }
  )
  t.equal(await rawCommand(first.port, 'PING'), '+PONG', 'the first one is untouched')
})

t.test('SIGKILL of the parent process takes redis-server down with a clean SIGTERM shutdown', async (t) => {
  const dir = tempDir(t)
  // A redis-server shim on the search path that logs to a file, so the shutdown can be read afterwards.
  const binDir = join(dir, 'bin')
  const logFile = join(dir, 'redis.log')
  const realRedis = findRedisServer()
  if (realRedis === null) throw new Error('redis-server is needed for this test')
  mkdirSync(binDir)
  writeFileSync(join(binDir, 'redis-server'), `#!/bin/sh\nexec ${JSON.stringify(realRedis)} "$@" --logfile ${JSON.stringify(logFile)}\n`)
  chmodSync(join(binDir, 'redis-server'), 0o755)

  const code = `
    import { startEmbeddedRedis } from ${JSON.stringify(modulePath)}
    const redis = await startEmbeddedRedis({ dataDir: ${JSON.stringify(join(dir, 'data'))}, searchPath: ${JSON.stringify(binDir)} })
    console.log(JSON.stringify({ port: redis.port, pid: redis.pid }))
    setInterval(() => {}, 60_000)
  `
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  parent.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const parentExited = new Promise((r) => parent.once('exit', r))

  const started = await new Promise<{ port: number, pid: number }>((resolveStarted, reject) => {
    let stdout = ''
    parent.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes('\n')) resolveStarted(JSON.parse(stdout.split('\n')[0] ?? ''))
    })
    parent.once('exit', () => reject(new Error(`the parent exited before starting redis: ${stderr}`)))
  })
  t.teardown(() => { if (isAlive(started.pid)) process.kill(started.pid, 'SIGKILL') })
  t.equal(await rawCommand(started.port, 'PING'), '+PONG')

  parent.kill('SIGKILL')
  await parentExited

  t.ok(await refusesWithin(started.port, 5000), 'the port refuses connections within 5 s')
  const deadline = Date.now() + 5000
  while (isAlive(started.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  t.notOk(isAlive(started.pid), 'redis-server has exited')
  t.match(readFileSync(logFile, 'utf8'), /Received SIGTERM[\s\S]*ready to exit/, 'redis shut down on SIGTERM')
})
