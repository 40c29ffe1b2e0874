// npm run client: regenerates the TypeScript client's types from openapi.yaml. --check regenerates into
// a temporary folder and exits 1 when that differs from clients/typescript (test/client.test.ts does the same).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CLIENT_DIR, GENERATED_FILES, generateClient } from './client-types.js'

if (process.argv.includes('--check')) {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-client-'))
  try {
    await generateClient(pathToFileURL(`${dir}/`))
    const stale = GENERATED_FILES.filter((file) => readFileSync(join(dir, file), 'utf8') !== readFileSync(new URL(file, CLIENT_DIR), 'utf8'))
    if (stale.length > 0) {
      process.stderr.write(`clients/typescript is out of date (${stale.join(', ')}): run \`npm run client\` and commit it\n`)
      process.exitCode = 1
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else {
  await generateClient(CLIENT_DIR)
  process.stdout.write(`wrote ${GENERATED_FILES.map((file) => `clients/typescript/${file}`).join(', ')}\n`)
}
