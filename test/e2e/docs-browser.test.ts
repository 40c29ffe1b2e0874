// /docs in a real browser (headless chromium): Swagger UI lists every tag and every operation of the
// OpenAPI document, with nothing in the console (its CSP allows what it needs, and no more). The
// screenshot is kept at .tap/artifacts/docs.png (a CI artifact).
import t from 'tap'
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { browserTestSkipped, buildTestApp, launchBrowser } from '../helper.js'

const skip = browserTestSkipped()
const ARTIFACTS = fileURLToPath(new URL('../../.tap/artifacts/', import.meta.url))
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

interface Listed { tag: string, method: string, path: string }

t.test('/docs lists every tag and operation of the OpenAPI document, with no console error', { skip }, async (t) => {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const doc = (await app.inject('/openapi.json')).json()

  const browser = await launchBrowser(t)
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`) })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))

  const response = await page.goto(`${base}/docs`)
  t.equal(response?.status(), 200)
  t.notMatch(response?.headers()['content-security-policy'], "'unsafe-eval'", 'no eval')
  t.match(response?.headers()['content-security-policy'], "script-src 'self';", 'scripts only from the service itself')
  await page.waitForSelector('.opblock', { timeout: 30_000 })

  const listed: Listed[] = await page.$$eval('.opblock-tag-section', (sections) => sections.flatMap((section) => {
    const tag = section.querySelector('.opblock-tag')?.getAttribute('data-tag') ?? ''
    return [...section.querySelectorAll('.opblock')].map((block) => ({
      tag,
      method: block.querySelector('.opblock-summary-method')?.textContent?.trim().toLowerCase() ?? '',
      path: block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? ''
    }))
  }))
  const tagsShown = new Set(listed.map((entry) => entry.tag))
  const key = (entry: Listed): string => `${entry.tag} ${entry.method} ${entry.path}`
  const shown = new Set(listed.map(key))

  const declaredTags: string[] = (doc.tags ?? []).map((tag: { name: string }) => tag.name)
  let operations = 0
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
      operations++
      for (const tag of item[method].tags ?? ['default']) {
        t.ok(shown.has(key({ tag, method, path })), `${method.toUpperCase()} ${path} is listed under ${tag}`)
        declaredTags.push(tag)
      }
    }
  }
  for (const tag of new Set(declaredTags)) t.ok(tagsShown.has(tag), `tag ${tag} is shown`)
  t.equal(listed.length, Object.values<Record<string, any>>(doc.paths)
    .flatMap((item) => Object.keys(item).filter((m) => METHODS.includes(m)).flatMap((m) => item[m].tags ?? ['default'])).length,
  'nothing listed that the document does not have')
  t.ok(operations >= 30, `${operations} operations in the document`)

  // Opening an operation renders its parameters and schemas (more inline styles): still no error.
  await page.click('.opblock-summary >> nth=0')
  await page.waitForSelector('.opblock-body', { timeout: 10_000 })

  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: `${ARTIFACTS}docs.png`, fullPage: true })
  t.same(problems, [], 'no console error or warning, no failed request')
})
