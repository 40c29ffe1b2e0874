// The repository's own promises, held to its files: every variable the config reads is in the README,
// the documented opt-outs are the ones the code reads, compose refuses to run without API_KEYS, and
// the license is the one package.json names.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

t.test('the README documents every variable src/config.ts reads', async (t) => {
  const config = read('src/config.ts')
  const readme = read('README.md')
  const variables = new Set([...config.matchAll(/\(env, '([A-Z_]+)'/g), ...config.matchAll(/raw\(env, '([A-Z_]+)'\)/g)].map((m) => m[1]!))
  t.ok(variables.size > 30, `${variables.size} variables`)
  for (const name of ['CORS_ORIGINS', 'REQUEST_HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS']) t.ok(variables.has(name), `config reads ${name}`)
  for (const name of variables) t.match(readme, `\`${name}\``, `README mentions ${name}`)
})

t.test('the README\'s opt-outs are the ones the code reads', async (t) => {
  const readme = read('README.md')
  t.match(readme, 'SESSIOND_AUTO_INSTALL=0', 'no automatic apt-get')
  t.match(read('scripts/ensure-redis-server.mjs'), "process.env.SESSIOND_AUTO_INSTALL !== '0'")
  t.match(readme, 'SESSIOND_SKIP_BROWSER=1', 'no browser tests')
  t.match(read('test/helper.ts'), "process.env.SESSIOND_SKIP_BROWSER === '1'")
  t.match(read('.ci/run'), 'unset SESSIOND_SKIP_BROWSER', 'CI never skips them')
})

t.test('docker compose refuses to start without API_KEYS, naming it, instead of restarting forever', async (t) => {
  const compose = parse(read('docker-compose.yml'))
  const service = compose.services.sessiond
  t.equal(service.environment.NODE_ENV, 'production')
  t.match(service.environment.API_KEYS, /^\$\{API_KEYS:\?set API_KEYS=name:key [^}]*\}$/, 'interpolation with :? fails when unset or empty')
})

t.test('LICENSE is the Apache License 2.0 that package.json names, in full', async (t) => {
  const license = read('LICENSE')
  t.equal(JSON.parse(read('package.json')).license, 'Apache-2.0')
  t.match(license, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/)
  for (const section of ['1. Definitions.', '2. Grant of Copyright License.', '3. Grant of Patent License.', '4. Redistribution.',
    '9. Accepting Warranty or Additional Liability.', 'END OF TERMS AND CONDITIONS', 'APPENDIX: How to apply the Apache License to your work.']) {
    t.match(license, section)
  }
})

t.test('docs/redis.md shows the ACL rule the suites run under, verbatim', async (t) => {
  const { aclRule } = await import('../src/redis/acl.js')
  const rule = aclRule({ user: 'sessiond', password: '<password>', system: 'sessiond', env: 'prod' })
  t.match(read('docs/redis.md'), `ACL SETUSER ${rule}\n`)
})
