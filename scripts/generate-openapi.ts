// npm run openapi: writes openapi.yaml from the route schemas. --check exits 1 when it has drifted.
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { openapiYaml } from './openapi-document.js'

const file = new URL('../openapi.yaml', import.meta.url)
const generated = await openapiYaml()
if (process.argv.includes('--check')) {
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : ''
  if (committed !== generated) {
    process.stderr.write('openapi.yaml is out of date: run `npm run openapi` and commit it\n')
    process.exit(1)
  }
} else {
  writeFileSync(file, generated)
  process.stdout.write('wrote openapi.yaml\n')
}
