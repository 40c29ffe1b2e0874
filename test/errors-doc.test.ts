// docs/errors.md is generated from the one error table; this fails when the two drift apart.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { errorsMarkdown } from '../scripts/errors-document.js'
import { problemTable } from '../src/errors.js'

t.test('the committed docs/errors.md matches the error table (run `npm run docs:errors` when this fails)', async (t) => {
  const committed = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
  t.equal(committed, errorsMarkdown())
})

t.test('every code in the table has its row with status, meaning and advice', async (t) => {
  const doc = errorsMarkdown()
  for (const [code, entry] of Object.entries(problemTable)) {
    t.match(doc, `| \`${code}\` | ${entry.status} |`, code)
    t.ok(entry.description.length > 20 && entry.advice.length > 10, `${code} says what it means and what to do`)
  }
})
