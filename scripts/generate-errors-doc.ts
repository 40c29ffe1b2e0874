// npm run docs:errors: writes docs/errors.md from the error table. --check exits 1 when it has drifted.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { errorsMarkdown } from './errors-document.js'

const file = new URL('../docs/errors.md', import.meta.url)
const generated = errorsMarkdown()
if (process.argv.includes('--check')) {
  const committed = existsSync(file) ? readFileSync(file, 'utf8') : ''
  if (committed !== generated) {
    process.stderr.write('docs/errors.md is out of date: run `npm run docs:errors` and commit it\n')
    process.exit(1)
  }
} else {
  writeFileSync(file, generated)
  process.stdout.write('wrote docs/errors.md\n')
}
