import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { openapiYaml } from '../scripts/openapi-document.js'

t.test('the committed openapi.yaml matches the route schemas (run `npm run openapi` when this fails)', async (t) => {
  const committed = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')
  t.equal(committed, await openapiYaml())
})

t.test('every documented route has a summary, tags and a schema for each status it returns', async (t) => {
  const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'))
  t.equal(doc.openapi, '3.1.0')
  for (const path of ['/health/live', '/health/ready', '/health', '/metrics']) t.ok(doc.paths[path], `${path} is documented`)
  for (const path of Object.keys(doc.paths)) {
    t.notOk(path.startsWith('/docs') || path.startsWith('/openapi'), `${path} is not an ops document route`)
    for (const [method, op] of Object.entries<any>(doc.paths[path])) {
      t.ok(op.summary, `${method} ${path} has a summary`)
      t.ok(op.tags?.length > 0, `${method} ${path} has tags`)
      t.ok(Object.keys(op.responses ?? {}).length > 0, `${method} ${path} documents responses`)
      if (path.startsWith('/v1')) {
        for (const status of ['400', '401', '429', '500', '503']) t.ok(op.responses[status], `${method} ${path} documents ${status}`)
      }
    }
  }
})
