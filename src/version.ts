// The service version from package.json, found from both src/ (tsx, tests) and dist/ (compiled).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function readVersion (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version
    dir = dirname(dir)
  }
  return '0.0.0'
}

export const SERVICE_VERSION = readVersion()
