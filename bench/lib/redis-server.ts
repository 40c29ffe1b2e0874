// A private redis-server for one run: free loopback port, no persistence, data dir in a temp folder.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freePort } from './processes.js'

export interface PrivateRedis {
  url: string
  port: number
  pid: number
  /** A connection for the harness's own questions (INFO, seeding the baselines). */
  client: Redis
  info: (section: string) => Promise<Record<string, string>>
  /** used_cpu_user + used_cpu_sys of the server, in microseconds. */
  cpuMicros: () => Promise<number>
  usedMemory: () => Promise<number>
  /** `INFO commandstats`: command name (lower case, `parent|sub` for subcommands) → calls since start. */
  commandCalls: () => Promise<Record<string, number>>
  stop: () => Promise<void>
}

export function parseInfo (text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':')
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1)
  }
  return fields
}

/**
 * Calls per command from `INFO commandstats` text. Redis 7 counts every command it executes there,
 * also those a Lua script runs (`redis.call`) under their own names.
 */
export function parseCommandStats (text: string): Record<string, number> {
  const calls: Record<string, number> = {}
  for (const line of text.split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line)
    if (match !== null) calls[match[1]!.toLowerCase()] = Number(match[2])
  }
  return calls
}

/** `wrapper`: a command that runs redis-server (e.g. valgrind with its options), its arguments after it. */
export async function startRedis (dir: string, name = 'redis', wrapper: readonly string[] = []): Promise<PrivateRedis> {
  const dataDir = join(dir, name)
  mkdirSync(dataDir, { recursive: true })
  const port = await freePort()
  const [command, ...leading] = [...wrapper, 'redis-server']
  const child = spawn(command!, [...leading,
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir,
    '--appendonly', 'no', '--save', '', '--logfile', join(dataDir, 'redis.log'), '--daemonize', 'no'
  ], { stdio: 'ignore' })
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve() }))
  child.once('error', () => { exited = true })
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  // Refused connections while redis-server starts are expected; later errors surface through commands.
  client.on('error', () => {})
  const deadline = Date.now() + 10_000
  for (;;) {
    if (exited) throw new Error(`redis-server exited at start (is it on PATH? log: ${join(dataDir, 'redis.log')})`)
    try {
      await client.connect()
      await client.ping()
      break
    } catch {
      client.disconnect()
      if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s')
      await sleep(50)
    }
  }
  const info = async (section: string): Promise<Record<string, string>> => parseInfo(await client.info(section))
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    client,
    info,
    cpuMicros: async () => {
      const cpu = await info('cpu')
      return (Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys)) * 1e6
    },
    usedMemory: async () => Number((await info('memory')).used_memory),
    commandCalls: async () => parseCommandStats(await client.info('commandstats')),
    stop: async () => {
      client.disconnect()
      if (exited) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exit
      clearTimeout(timer)
    }
  }
}
