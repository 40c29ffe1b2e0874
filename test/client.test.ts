// The TypeScript client (clients/typescript) is generated from openapi.yaml: this regenerates it into a
// temporary folder and fails when that differs from what is committed. test/e2e/client.test.ts drives it.
import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CLIENT_DIR, GENERATED_FILES, generateClient } from '../scripts/client-types.js'

const read = (url: URL): any => JSON.parse(readFileSync(url, 'utf8'))

t.test('the committed client matches openapi.yaml (run `npm run client` when this fails)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-client-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  await generateClient(pathToFileURL(`${dir}/`))
  for (const file of GENERATED_FILES) {
    t.equal(readFileSync(new URL(file, CLIENT_DIR), 'utf8'), readFileSync(join(dir, file), 'utf8'), `clients/typescript/${file}`)
  }
})

t.test('the client package ships what it is tested with', async (t) => {
  const client = read(new URL('package.json', CLIENT_DIR))
  const service = read(new URL('../package.json', import.meta.url))
  t.equal(client.dependencies['openapi-fetch'], service.devDependencies['openapi-fetch'], 'the openapi-fetch the end-to-end test uses')
  t.equal(client.version, service.version, 'versioned with the service whose document it was generated from')
  for (const file of client.files) t.ok(existsSync(new URL(file, CLIENT_DIR)), `${file} exists`)
  t.same(client.exports['.'], { types: './index.d.ts', default: './index.js' })
})
