// npm run validate:monitoring — checks deploy/prometheus and deploy/grafana with promtool
// (scripts/get-promtool.sh fetches it when missing):
//   1. prometheus.yml passes `promtool check config` (Debian's promtool lacks Kubernetes discovery, so
//      a copy with static targets is checked), and its relabelling turns a pod of
//      deploy/kubernetes/base into the target its prometheus.io/* annotations name;
//   2. the alert rules pass `promtool check rules` and their unit tests `promtool test rules`;
//   3. the dashboard is well-formed and every panel query parses (each becomes a recording rule);
//   4. the service's own metrics, scraped from the built server running on an embedded Redis, pass
//      `promtool check metrics` with no finding (the findings on the process/Node defaults are shown).
// The metric names used are checked against the exported ones by test/deploy/metric-names.test.ts.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { build, type Doc } from './kubernetes/kustomize.js'
import { allPanels, dashboardQueries, dashboardVariableSelectors, loadDashboard, ROOT, RULES_FILE } from './monitoring/queries.js'

const PROMETHEUS_DIR = join(ROOT, 'deploy', 'prometheus')
const work = mkdtempSync(join(tmpdir(), 'sessiond-monitoring-'))
const failures: string[] = []

const promtool = execFileSync('bash', [join(ROOT, 'scripts', 'get-promtool.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()

function promtoolRun (args: string[], options: { input?: string, cwd?: string } = {}): { ok: boolean, output: string } {
  const result = spawnSync(promtool, args, { encoding: 'utf8', input: options.input, cwd: options.cwd ?? ROOT })
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() }
}

async function step (name: string, fn: () => Promise<string> | string): Promise<void> {
  const started = performance.now()
  try {
    const detail = await fn()
    console.log(`ok   ${name} (${Math.round(performance.now() - started)} ms)${detail !== '' ? `: ${detail}` : ''}`)
  } catch (err) {
    failures.push(name)
    console.log(`FAIL ${name} (${Math.round(performance.now() - started)} ms)\n${(err as Error).message.replace(/^/gm, '     ')}`)
  }
}

function expectOk (result: { ok: boolean, output: string }): string {
  if (!result.ok) throw new Error(result.output)
  return result.output.split('\n').filter((l) => /SUCCESS|rules found/.test(l)).map((l) => l.trim()).join('; ')
}

// 1. Scrape configuration.
await step('promtool check config deploy/prometheus/prometheus.yml', () => {
  const config = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as Doc
  for (const job of config.scrape_configs as Doc[]) {
    if (job.kubernetes_sd_configs !== undefined) {
      delete job.kubernetes_sd_configs
      job.static_configs = [{ targets: ['127.0.0.1:8080'] }]
    }
  }
  config.rule_files = (config.rule_files as string[]).map((f) => join(PROMETHEUS_DIR, f))
  const file = join(work, 'prometheus.yml')
  writeFileSync(file, stringify(config))
  return expectOk(promtoolRun(['check', 'config', file]))
})

await step('relabelling of prometheus.yml against the pods of deploy/kubernetes/base', () => {
  const config = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as Doc
  const job = (config.scrape_configs as Doc[]).find((j) => j.kubernetes_sd_configs !== undefined)
  if (job === undefined) throw new Error('no job with kubernetes_sd_configs')
  const deployment = build(join(ROOT, 'deploy', 'kubernetes', 'base')).map((r) => r.doc).find((d) => d.kind === 'Deployment')!
  const template = deployment.spec.template.metadata as Doc
  const container = deployment.spec.template.spec.containers[0] as Doc
  const meta = (prefix: string, map: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [`${prefix}${k.replace(/[^a-zA-Z0-9_]/g, '_')}`, v]))
  // Kubernetes pod discovery: one target per container port, address podIP:port.
  const pod = (annotations: Record<string, string>, labels: Record<string, string>): Record<string, string> => ({
    __address__: `10.1.2.3:${String(container.ports[0].containerPort)}`,
    __metrics_path__: '/metrics',
    __meta_kubernetes_namespace: 'sessiond',
    __meta_kubernetes_pod_name: 'sessiond-abc',
    ...meta('__meta_kubernetes_pod_label_', labels),
    ...meta('__meta_kubernetes_pod_annotation_', annotations)
  })
  const target = relabel(pod(template.annotations, template.labels), job.relabel_configs)
  const expected = `10.1.2.3:${String(template.annotations['prometheus.io/port'])}`
  if (target?.__address__ !== expected) throw new Error(`the sessiond pod becomes ${JSON.stringify(target)}, not ${expected}`)
  if (target.__metrics_path__ !== template.annotations['prometheus.io/path']) throw new Error(`metrics path ${target.__metrics_path__}`)
  if (relabel(pod({}, template.labels), job.relabel_configs) !== undefined) throw new Error('a pod without prometheus.io/scrape is scraped')
  if (relabel(pod(template.annotations, { 'app.kubernetes.io/name': 'other' }), job.relabel_configs) !== undefined) throw new Error('another app\'s pod is scraped')
  return `target ${target.__address__}${target.__metrics_path__}, labels namespace=${target.namespace} pod=${target.pod}`
})

// 2. Alert rules.
await step('promtool check rules deploy/prometheus/sessiond.rules.yml', () => expectOk(promtoolRun(['check', 'rules', RULES_FILE])))
await step('promtool test rules deploy/prometheus/sessiond.rules.test.yml', () =>
  expectOk(promtoolRun(['test', 'rules', 'sessiond.rules.test.yml'], { cwd: PROMETHEUS_DIR })))

// 3. Dashboard.
await step('deploy/grafana/sessiond.json is a well-formed dashboard', () => {
  const dashboard = loadDashboard() as Doc
  const panels = allPanels(dashboard as never) as Doc[]
  const problems: string[] = []
  for (const field of ['title', 'uid', 'schemaVersion', 'panels', 'templating']) if (dashboard[field] === undefined) problems.push(`no ${field}`)
  const ids = panels.map((p) => p.id)
  if (new Set(ids).size !== ids.length) problems.push('panel ids repeat')
  const variables = new Set((dashboard.templating.list as Doc[]).map((v) => v.name))
  for (const p of panels) {
    const g = p.gridPos
    if (g === undefined || g.x + g.w > 24) problems.push(`panel ${p.id} lies outside the 24-column grid`)
    if (p.type === 'row') continue
    if (p.datasource?.uid !== '${datasource}') problems.push(`panel ${p.id} does not use the datasource variable`)
    if ((p.targets ?? []).length === 0) problems.push(`panel ${p.id} has no query`)
    for (const t of p.targets ?? []) {
      for (const [, name] of String(t.expr).matchAll(/\$\{?(\w+)/g)) {
        if (!name!.startsWith('__') && !variables.has(name)) problems.push(`panel ${p.id} uses undefined variable $${name}`)
      }
    }
  }
  for (const a of panels) {
    for (const b of panels) {
      if (a.id >= b.id) continue
      const [ga, gb] = [a.gridPos, b.gridPos]
      if (ga.x < gb.x + gb.w && gb.x < ga.x + ga.w && ga.y < gb.y + gb.h && gb.y < ga.y + ga.h) problems.push(`panels ${a.id} and ${b.id} overlap`)
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return `${panels.filter((p) => p.type !== 'row').length} panels, ${variables.size} variables`
})

await step('every dashboard query parses (promtool check rules on them as recording rules)', () => {
  const queries = [...dashboardQueries(), ...dashboardVariableSelectors()]
  const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr }))
  const file = join(work, 'dashboard.rules.yml')
  writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }))
  const result = promtoolRun(['check', 'rules', file])
  if (!result.ok) {
    // Name the panels of the failing queries: promtool reports them by rule name.
    const failing = new Set([...result.output.matchAll(/dashboard:query_(\d+)/g)].map((m) => Number(m[1])))
    throw new Error(`${result.output}\n${[...failing].map((i) => `${queries[i]!.where}: ${queries[i]!.expr}`).join('\n')}`)
  }
  return `${queries.length} queries; ${expectOk(result)}`
})

// 4. The service's own metrics, from the running server.
await step('promtool check metrics on a scrape of the running server', async () => {
  const exposition = await scrapeRunningServer()
  writeFileSync(join(work, 'metrics.txt'), exposition)
  const own = ownFamilies(exposition)
  const ownResult = promtoolRun(['check', 'metrics'], { input: own })
  const allResult = promtoolRun(['check', 'metrics'], { input: exposition })
  const allFindings = allResult.output.split('\n').filter((l) => l.trim() !== '')
  const ownCount = own.split('\n').filter((l) => l.startsWith('# TYPE ')).length
  if (!ownResult.ok || ownResult.output !== '') throw new Error(`findings on the sessiond_ metrics:\n${ownResult.output}`)
  return `${ownCount} sessiond_ families, 0 findings; whole scrape: ${allFindings.length} findings, all on prom-client defaults` +
    (allFindings.length > 0 ? `\n${allFindings.map((l) => `       ${l}`).join('\n')}` : '')
})

rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.log(`\nvalidate:monitoring: ${failures.length} failed: ${failures.join('; ')}`)
  process.exitCode = 1
} else {
  console.log('\nvalidate:monitoring: all checks passed')
}

/** Prometheus relabelling (keep, drop, replace), enough for the configuration in this repository. */
function relabel (input: Record<string, string>, configs: Doc[]): Record<string, string> | undefined {
  const labels = { ...input }
  for (const c of configs) {
    const action = (c.action as string | undefined) ?? 'replace'
    const value = ((c.source_labels ?? []) as string[]).map((l) => labels[l] ?? '').join((c.separator as string | undefined) ?? ';')
    const match = new RegExp(`^(?:${(c.regex as string | undefined) ?? '(.*)'})$`).exec(value)
    if (action === 'keep' && match === null) return undefined
    if (action === 'drop' && match !== null) return undefined
    if (action === 'replace' && match !== null) {
      const replaced = ((c.replacement as string | undefined) ?? '$1').replace(/\$\{?(\d+)\}?/g, (_, n: string) => match[Number(n)] ?? '')
      if (replaced === '') delete labels[c.target_label as string]
      else labels[c.target_label as string] = replaced
    } else if (!['keep', 'drop', 'replace'].includes(action)) {
      throw new Error(`relabel action ${action} is not simulated here`)
    }
  }
  return labels
}

/** The families of an exposition whose names start with sessiond_. */
function ownFamilies (exposition: string): string {
  return exposition.split('\n\n')
    .filter((block) => /^# HELP sessiond_/.test(block.trim()))
    .map((block) => block.trim())
    .join('\n') + '\n'
}

/** Starts dist/src/server.js on an embedded Redis, sends some traffic, scrapes /metrics, stops it. */
async function scrapeRunningServer (): Promise<string> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit' })
  const port = await freePort()
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'server.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn',
      REDIS_URL: '', REDIS_CLUSTER_NODES: '', REDIS_SENTINELS: '', API_KEYS: '', ADMIN_API_KEYS: '', JWT_SECRET: '', JWT_PUBLIC_KEY: '',
      REDIS_DATA_DIR: join(work, 'redis'),
      // A low limit, so that the scrape has 429s in it as well.
      RATE_LIMIT_MAX: '20'
    }
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const base = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 30_000
    while (true) {
      const ready = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false)
      if (ready) break
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not become ready:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const created = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_id: 'promtool', kind: 'onboarding' }) })
    const { id } = await created.json() as { id: string }
    for (let i = 0; i < 25; i++) await fetch(`${base}/v1/sessions/${id}`).then((r) => r.arrayBuffer())
    await fetch(`${base}/v1/nothing-here`).then((r) => r.arrayBuffer())
    return await (await fetch(`${base}/metrics`)).text()
  } finally {
    child.kill('SIGTERM')
    const code = await exited
    if (code !== 0) console.log(`     (the server exited with ${String(code)})\n${output}`)
  }
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
