// Validates deploy/kubernetes offline: every YAML document against kubernetes-models (schema and
// unknown fields), every kustomization built (scripts/kubernetes/kustomize.ts) and its output checked
// the same way, then the references between the objects and the app: probe and scrape paths are
// routes of the app, ports line up, the ConfigMap loads through src/config.ts, the Secret template
// holds placeholders only, and the pod outlives SHUTDOWN_GRACE_MS plus the drain (preStop pause and
// SHUTDOWN_DRAIN_MS).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, kustomizationDirs, loadYaml, patchFiles, podContainers, type Doc, type Resource } from './kustomize.js'
import { KnownFields, schemaFindings } from './models.js'
import { loadConfig } from '../../src/config.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const KUBERNETES_DIR = join(ROOT, 'deploy', 'kubernetes')

/** Contract §11 variables that src/config.ts does not read yet; the ConfigMap may set them already. */
export const CONTRACT_VARIABLES_NOT_YET_READ = [
  'CORS_ORIGINS', 'REQUEST_HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'MAX_EVENT_STREAMS', 'IMPORT_MAX_BYTES', 'ENCRYPTION_KEYS'
]
export const SECRET_PLACEHOLDER = 'REPLACE_ME'
/** Valid stand-ins for the Secret's keys, so that the ConfigMap can be loaded as the pod would. */
const SECRET_STAND_INS: Record<string, string> = {
  REDIS_URL: 'redis://redis:6379',
  API_KEYS: `ci:${'x'.repeat(40)}`,
  ADMIN_API_KEYS: `ops:${'y'.repeat(40)}`,
  JWT_SECRET: 'z'.repeat(40)
}

/** The environment variables src/config.ts reads. */
export function configVariables (): Set<string> {
  const source = readFileSync(join(ROOT, 'src', 'config.ts'), 'utf8')
  return new Set([...source.matchAll(/env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!))
}

/** GET routes of the app, from the app itself (built without Redis, as for the OpenAPI document). */
export async function appGetRoutes (): Promise<(path: string) => boolean> {
  const { buildApp } = await import('../../src/app.js')
  const app = await buildApp(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' }), { connectRedis: false })
  await app.ready()
  const has = (path: string): boolean => app.hasRoute({ method: 'GET', url: path })
  const known = new Map(['/health/live', '/health/ready', '/health', '/metrics'].map((p) => [p, has(p)]))
  await app.close()
  return (path) => known.get(path) ?? false
}

export interface Report {
  errors: string[]
  notes: string[]
  files: number
  documents: number
  builds: Array<{ dir: string, resources: number }>
}

export interface Options {
  dir?: string
  /** Whether GET path is a route of the app (default: ask the app). */
  hasRoute?: (path: string) => boolean
}

function yamlFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return yamlFiles(path)
    return /\.ya?ml$/.test(name) ? [path] : []
  }).sort()
}

export async function validateKubernetes (options: Options = {}): Promise<Report> {
  const dir = options.dir ?? KUBERNETES_DIR
  const hasRoute = options.hasRoute ?? await appGetRoutes()
  const report: Report = { errors: [], notes: [], files: 0, documents: 0, builds: [] }
  const rel = (file: string): string => relative(dir, file)
  const fail = (where: string, message: string): void => { report.errors.push(`${where}: ${message}`) }

  // 1. Every document of every file, as it is written.
  const files = yamlFiles(dir)
  report.files = files.length
  const patches = new Set<string>()
  const kustomizations = kustomizationDirs(files)
  const loaded: Array<{ file: string, docs: Doc[] }> = []
  for (const file of files) {
    try { loaded.push({ file, docs: loadYaml(file) }) } catch (err) { fail(rel(file), (err as Error).message) }
  }
  for (const k of kustomizations) {
    try { for (const p of patchFiles(k)) patches.add(p) } catch (err) { fail(rel(k), (err as Error).message) }
  }
  const objects = loaded.flatMap(({ file, docs }) => docs.map((doc, index) => ({ file, index, doc })))
    .filter(({ doc }) => doc.kind !== 'Kustomization')
  report.documents = objects.length

  const builds: Array<{ dir: string, resources: Resource[] }> = []
  for (const k of kustomizations) {
    try { builds.push({ dir: k, resources: build(k) }) } catch (err) { fail(rel(join(k, 'kustomization.yaml')), (err as Error).message) }
  }
  const kinds = [...objects.map(({ doc }) => doc), ...builds.flatMap((b) => b.resources.map((r) => r.doc))]
    .filter((doc) => typeof doc.apiVersion === 'string' && typeof doc.kind === 'string')
  const known = KnownFields.for(kinds.map((doc) => ({ apiVersion: doc.apiVersion as string, kind: doc.kind as string })))

  for (const { file, index, doc } of objects) {
    const where = `${rel(file)}#${index + 1} ${String(doc.kind)}`
    if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') { fail(where, 'no apiVersion or kind'); continue }
    for (const f of known.findings(doc)) fail(where, `${f.path}: ${f.message}`)
    // A patch is a partial object: its fields must exist, but required ones may be absent.
    if (!patches.has(file)) for (const f of await schemaFindings(doc)) fail(where, `${f.path}: ${f.message}`)
  }

  // 2. What each kustomization builds, checked whole and cross-referenced.
  for (const { dir: k, resources } of builds) {
    const name = rel(k) || '.'
    report.builds.push({ dir: name, resources: resources.length })
    for (const { doc } of resources) {
      const where = `build ${name}: ${String(doc.kind)} ${String(doc.metadata?.name)}`
      for (const f of known.findings(doc)) fail(where, `${f.path}: ${f.message}`)
      for (const f of await schemaFindings(doc)) fail(where, `${f.path}: ${f.message}`)
    }
    const secretTemplates = objects.filter(({ doc }) => doc.kind === 'Secret').map(({ doc }) => doc)
    crossCheck(resources.map((r) => r.doc), secretTemplates, hasRoute, (m) => fail(`build ${name}`, m))
  }

  // 3. Objects outside every kustomization (the optional ServiceMonitor), against the base's Service.
  const built = new Set(builds.flatMap((b) => b.resources.map((r) => `${r.source.file}#${r.source.index}`)))
  const services = builds.flatMap((b) => b.resources.map((r) => r.doc)).filter((d) => d.kind === 'Service')
  for (const { file, index, doc } of objects) {
    if (built.has(`${file}#${index}`) || patches.has(file)) continue
    if (doc.kind === 'ServiceMonitor') checkServiceMonitor(doc, services, hasRoute, (m) => fail(rel(file), m))
    else if (doc.kind !== 'Secret') report.notes.push(`${rel(file)}: ${String(doc.kind)} is in no kustomization`)
  }

  // 4. The Secret template: placeholders only, and only variables the service knows.
  const variables = configVariables()
  for (const { file, doc } of objects.filter(({ doc }) => doc.kind === 'Secret')) {
    if (doc.data !== undefined) fail(rel(file), 'use stringData with placeholders, not data')
    for (const [key, value] of Object.entries((doc.stringData ?? {}) as Record<string, unknown>)) {
      if (value !== SECRET_PLACEHOLDER) fail(rel(file), `${key} must be the placeholder ${SECRET_PLACEHOLDER}, never a value`)
      if (!variables.has(key) && !CONTRACT_VARIABLES_NOT_YET_READ.includes(key)) fail(rel(file), `${key} is no variable of src/config.ts or contract §11`)
    }
  }
  for (const name of CONTRACT_VARIABLES_NOT_YET_READ) {
    if (variables.has(name)) report.notes.push(`src/config.ts reads ${name} now: remove it from CONTRACT_VARIABLES_NOT_YET_READ`)
  }
  return report
}

const byKind = (docs: Doc[], kind: string): Doc[] => docs.filter((d) => d.kind === kind)
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v)

/** The pause a preStop hook holds the pod before SIGTERM, in seconds (sleep action or exec sleep N). */
export function preStopPause (container: Doc): number {
  const preStop = container.lifecycle?.preStop
  if (preStop?.sleep?.seconds !== undefined) return Number(preStop.sleep.seconds)
  const command = preStop?.exec?.command as string[] | undefined
  if (command !== undefined) {
    const match = /(?:^|\s)sleep\s+(\d+)\b/.exec(command.join(' '))
    if (match !== null) return Number(match[1])
  }
  return 0
}

function crossCheck (docs: Doc[], secretTemplates: Doc[], hasRoute: (path: string) => boolean, fail: (message: string) => void): void {
  const deployments = byKind(docs, 'Deployment')
  if (deployments.length !== 1) { fail(`expected one Deployment, found ${deployments.length}`); return }
  const deployment = deployments[0]!
  const pod = deployment.spec?.template ?? {}
  const podLabels = pod.metadata?.labels as Record<string, string> | undefined
  const containers = podContainers(deployment)
  const app = (deployment.spec?.template?.spec?.containers ?? [])[0] as Doc | undefined
  if (app === undefined) { fail('the Deployment has no container'); return }

  if (!matches(deployment.spec?.selector?.matchLabels, podLabels)) fail('the Deployment selector does not select its pod template')

  // Configuration: the ConfigMap and Secret the pod reads, loaded as src/config.ts would.
  const configMapNames = (app.envFrom ?? []).flatMap((e: Doc) => e.configMapRef?.name ?? [])
  const secretNames = (app.envFrom ?? []).flatMap((e: Doc) => e.secretRef?.name ?? [])
  const configMap = byKind(docs, 'ConfigMap').find((c) => configMapNames.includes(c.metadata?.name))
  if (configMap === undefined) { fail(`no ConfigMap named by envFrom (${configMapNames.join(', ') || 'none'})`); return }
  const env = Object.fromEntries(Object.entries((configMap.data ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
  const variables = configVariables()
  for (const key of Object.keys(env)) {
    if (!variables.has(key) && !CONTRACT_VARIABLES_NOT_YET_READ.includes(key)) fail(`ConfigMap ${configMap.metadata.name}: ${key} is no variable of src/config.ts or contract §11`)
  }
  const secret = secretTemplates.find((s) => secretNames.includes(s.metadata?.name))
  if (secret === undefined) fail(`no Secret template (base/secret.template.yaml) named by envFrom (${secretNames.join(', ') || 'none'})`)
  const secretKeys = Object.keys((secret?.stringData ?? {}) as Record<string, unknown>)
  for (const key of secretKeys) {
    if (key in env) fail(`${key} is in both the ConfigMap and the Secret (the Secret would win, silently)`)
  }
  const standIns = Object.fromEntries(secretKeys.flatMap((key) => SECRET_STAND_INS[key] !== undefined ? [[key, SECRET_STAND_INS[key]]] : []))
  let config: ReturnType<typeof loadConfig> | undefined
  try {
    config = loadConfig({ ...env, ...standIns })
  } catch (err) {
    fail(`ConfigMap ${configMap.metadata.name} does not load: ${(err as Error).message}`)
  }

  // Ports: the container listens on PORT, the Service and the scrape annotation point at it.
  const ports = (app.ports ?? []) as Doc[]
  const portOf = (ref: unknown): number | undefined => typeof ref === 'number' ? ports.find((p) => p.containerPort === ref)?.containerPort : ports.find((p) => p.name === ref)?.containerPort
  if (config !== undefined && !ports.some((p) => p.containerPort === config.port)) fail(`no containerPort is PORT (${config.port})`)

  const services = byKind(docs, 'Service')
  if (services.length === 0) fail('no Service')
  for (const service of services) {
    if (!matches(service.spec?.selector, podLabels)) fail(`Service ${service.metadata?.name} does not select the pods`)
    for (const port of (service.spec?.ports ?? []) as Doc[]) {
      const target = port.targetPort ?? port.port
      if (portOf(target) === undefined) fail(`Service ${service.metadata?.name} targetPort ${String(target)} is no container port`)
    }
  }

  const annotations = (pod.metadata?.annotations ?? {}) as Record<string, string>
  if (annotations['prometheus.io/scrape'] === 'true') {
    if (portOf(Number(annotations['prometheus.io/port'])) === undefined) fail(`prometheus.io/port ${annotations['prometheus.io/port']} is no container port`)
    const path = annotations['prometheus.io/path'] ?? '/metrics'
    if (!hasRoute(path)) fail(`prometheus.io/path ${path} is no route of the app`)
  } else {
    fail('the pod template lacks the prometheus.io/scrape annotation')
  }

  // Probes: the paths the contract gives them, routes of the app, on a container port.
  const expected: Record<string, string> = { startupProbe: '/health/live', livenessProbe: '/health/live', readinessProbe: '/health/ready' }
  for (const [probe, path] of Object.entries(expected)) {
    const httpGet = app[probe]?.httpGet as Doc | undefined
    if (httpGet === undefined) { fail(`${probe} is missing or not an httpGet`); continue }
    if (httpGet.path !== path) fail(`${probe} asks ${String(httpGet.path)}, not ${path}`)
    if (!hasRoute(httpGet.path as string)) fail(`${probe} path ${String(httpGet.path)} is no route of the app`)
    if (portOf(httpGet.port) === undefined) fail(`${probe} port ${String(httpGet.port)} is no container port`)
  }

  // Stopping: the pod keeps serving while it leaves the Service endpoints (a preStop pause, or the app's
  // own SHUTDOWN_DRAIN_MS after SIGTERM), and the kubelet waits for that plus the app's grace.
  const grace = deployment.spec?.template?.spec?.terminationGracePeriodSeconds as number | undefined
  const pause = preStopPause(app)
  if (config !== undefined) {
    const drain = config.shutdownDrainMs / 1000
    if (pause === 0 && drain === 0) fail('no drain: neither a preStop pause nor SHUTDOWN_DRAIN_MS, so the pod would stop before it leaves the Service endpoints')
    const needed = config.shutdownGraceMs / 1000 + drain + pause
    if (grace === undefined || grace <= needed) {
      fail(`terminationGracePeriodSeconds ${String(grace)} must exceed SHUTDOWN_GRACE_MS/1000 + SHUTDOWN_DRAIN_MS/1000 + preStop pause = ${needed}`)
    }
  }

  // Hardening and resources.
  const podSecurity = deployment.spec?.template?.spec?.securityContext ?? {}
  const mounts = new Set(((app.volumeMounts ?? []) as Doc[]).map((m) => m.mountPath))
  for (const container of containers) {
    const sc = container.securityContext ?? {}
    const name = `container ${String(container.name)}`
    if ((sc.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) fail(`${name} may run as root (runAsNonRoot)`)
    if (sc.readOnlyRootFilesystem !== true) fail(`${name} has a writable root filesystem`)
    if (sc.allowPrivilegeEscalation !== false) fail(`${name} allows privilege escalation`)
    if (container.resources?.requests?.cpu === undefined || container.resources?.requests?.memory === undefined) fail(`${name} has no cpu and memory requests`)
    if (container.resources?.limits?.memory === undefined) fail(`${name} has no memory limit`)
  }
  if (!mounts.has('/tmp')) fail('the read-only root filesystem needs a writable /tmp volume')

  // Scaling and disruption.
  const hpas = byKind(docs, 'HorizontalPodAutoscaler')
  for (const hpa of hpas) {
    const ref = hpa.spec?.scaleTargetRef ?? {}
    if (ref.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || ref.name !== deployment.metadata?.name) {
      fail(`HorizontalPodAutoscaler ${hpa.metadata?.name} does not target Deployment ${deployment.metadata?.name}`)
    }
    if (deployment.spec?.replicas !== undefined) fail('the Deployment sets replicas although an autoscaler owns them')
    if ((hpa.spec?.minReplicas ?? 1) < 2) fail('minReplicas below 2: a single pod has no one to drain to')
  }
  if (hpas.length === 0) fail('no HorizontalPodAutoscaler')
  const pdbs = byKind(docs, 'PodDisruptionBudget')
  if (pdbs.length === 0) fail('no PodDisruptionBudget')
  for (const pdb of pdbs) {
    if (!matches(pdb.spec?.selector?.matchLabels, podLabels)) fail(`PodDisruptionBudget ${pdb.metadata?.name} does not select the pods`)
  }

  for (const container of containers) {
    if (/:latest$|^[^:@]+$/.test(container.image as string)) {
      fail(`container ${String(container.name)} image ${String(container.image)} is not pinned to a tag or digest`)
    }
  }
}

function checkServiceMonitor (monitor: Doc, services: Doc[], hasRoute: (path: string) => boolean, fail: (message: string) => void): void {
  const selected = services.filter((s) => matches(monitor.spec?.selector?.matchLabels, s.metadata?.labels))
  if (selected.length === 0) { fail('the ServiceMonitor selects no Service of the base'); return }
  for (const endpoint of (monitor.spec?.endpoints ?? []) as Doc[]) {
    if (!selected.some((s) => (s.spec?.ports ?? []).some((p: Doc) => p.name === endpoint.port))) fail(`endpoint port ${String(endpoint.port)} is no named Service port`)
    if (!hasRoute((endpoint.path as string | undefined) ?? '/metrics')) fail(`endpoint path ${String(endpoint.path)} is no route of the app`)
  }
}
