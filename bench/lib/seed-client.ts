// Runs bench/seed.ts in a child process and reports its progress on stderr.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SeedPlan, SeedResult, SeedWorkerMessage } from './seed-plan.js'

const SEED_WORKER = fileURLToPath(new URL('../seed.ts', import.meta.url))

export async function seedThroughApi (plan: SeedPlan, label: string): Promise<SeedResult> {
  const child = fork(SEED_WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return await new Promise<SeedResult>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void): void => { if (!settled) { settled = true; fn() } }
    child.on('message', (message: SeedWorkerMessage) => {
      if (message.type === 'ready') child.send(plan)
      else if (message.type === 'progress') {
        process.stderr.write(`  seeding ${label}: ${message.sessions}/${message.total} sessions, ${Math.round(message.sessions / message.seconds)}/s\n`)
      } else if (message.type === 'result') settle(() => resolve(message.result))
      else settle(() => reject(new Error(`seeding ${label} failed: ${message.message}`)))
    })
    child.on('error', (err) => settle(() => reject(err)))
    child.on('exit', (code) => settle(() => reject(new Error(`seeding worker exited with ${code} before answering`))))
  })
}
