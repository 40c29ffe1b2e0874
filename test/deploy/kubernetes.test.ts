// deploy/kubernetes passes scripts/kubernetes/validate.ts, and each kind of mistake the validator is
// there for fails it: a copy of the manifests with one mistake must not validate.
import t from 'tap'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appGetRoutes, KUBERNETES_DIR, validateKubernetes } from '../../scripts/kubernetes/validate.js'
import { build } from '../../scripts/kubernetes/kustomize.js'

const hasRoute = await appGetRoutes()

/** Validates a copy of deploy/kubernetes with `from` replaced by `to` in `file`. */
async function errorsWith (file: string, from: string | RegExp, to: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sessiond-k8s-'))
  try {
    cpSync(KUBERNETES_DIR, dir, { recursive: true })
    const path = join(dir, file)
    const text = readFileSync(path, 'utf8')
    const changed = text.replace(from, to)
    if (changed === text) throw new Error(`${String(from)} is not in ${file}`)
    writeFileSync(path, changed)
    return (await validateKubernetes({ dir, hasRoute })).errors
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

t.test('the manifests as committed validate with no error', async (t) => {
  const report = await validateKubernetes({ hasRoute })
  t.same(report.errors, [])
  t.same(report.builds.map((b) => b.dir), ['base', 'overlays/production'])
})

t.test('the production overlay builds with its namespace, image, resources and replicas', async (t) => {
  const docs = build(join(KUBERNETES_DIR, 'overlays', 'production')).map((r) => r.doc)
  t.ok(docs.every((d) => d.metadata.namespace === 'sessiond'))
  const deployment = docs.find((d) => d.kind === 'Deployment')!
  const container = deployment.spec.template.spec.containers[0]
  t.equal(container.image, 'registry.example.com/sessiond:0.1.0')
  t.same(container.resources.requests, { cpu: '500m', memory: '256Mi' })
  t.equal(container.readinessProbe.httpGet.path, '/health/ready', 'the patch merges into the container, it does not replace it')
  t.equal(docs.find((d) => d.kind === 'ConfigMap')!.data.KEY_ENV, 'prod')
  t.equal(docs.find((d) => d.kind === 'HorizontalPodAutoscaler')!.spec.minReplicas, 3)
})

const mistakes: Array<[string, string, string | RegExp, string, RegExp]> = [
  ['a misspelt field', 'base/deployment.yaml', /readinessProbe:\n(\s+)httpGet:/, 'readinessProbe:\n$1httpGett:', /readinessProbe\.httpGett: unknown field "httpGett" \(did you mean "httpGet"\?\)/],
  ['a misspelt field in an overlay patch', 'overlays/production/deployment.yaml', 'resources:', 'resource:', /overlays\/production\/deployment\.yaml.*unknown field "resource"/],
  ['a value of the wrong type', 'base/deployment.yaml', 'containerPort: 8080', 'containerPort: eighty', /containerPort: must be integer/],
  ['a Service that targets no container port', 'base/service.yaml', 'targetPort: http', 'targetPort: 8081', /targetPort 8081 is no container port/],
  ['a probe on a path the app does not serve', 'base/deployment.yaml', 'path: /health/ready', 'path: /healthz', /readinessProbe path \/healthz is no route of the app/],
  ['a grace period shorter than the drain', 'base/deployment.yaml', 'terminationGracePeriodSeconds: 20', 'terminationGracePeriodSeconds: 15', /terminationGracePeriodSeconds 15 must exceed SHUTDOWN_GRACE_MS\/1000 \+ SHUTDOWN_DRAIN_MS\/1000 \+ preStop pause = 15/],
  ['no preStop pause and no drain', 'base/deployment.yaml', /\n\s+lifecycle:\n\s+preStop:\n(\s+#.*\n)*\s+sleep:\n\s+seconds: 5(?=\n)/, '', /no drain: neither a preStop pause nor SHUTDOWN_DRAIN_MS/],
  ['a drain the grace period does not cover', 'base/configmap.yaml', 'SHUTDOWN_DRAIN_MS: "0"', 'SHUTDOWN_DRAIN_MS: "5000"', /terminationGracePeriodSeconds 20 must exceed .* = 20/],
  ['a ConfigMap value the service refuses', 'base/configmap.yaml', 'LOG_LEVEL: info', 'LOG_LEVEL: loud', /does not load: invalid configuration: LOG_LEVEL/],
  ['a ConfigMap variable nobody reads', 'base/configmap.yaml', 'SHUTDOWN_GRACE_MS:', 'SHUTDOWN_GRACE_MSS:', /SHUTDOWN_GRACE_MSS is no variable/],
  ['a real value in the Secret template', 'base/secret.template.yaml', 'JWT_SECRET: REPLACE_ME', 'JWT_SECRET: s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t', /JWT_SECRET must be the placeholder/],
  ['a scrape annotation on the wrong port', 'base/deployment.yaml', 'prometheus.io/port: "8080"', 'prometheus.io/port: "9090"', /prometheus\.io\/port 9090 is no container port/],
  ['a writable root filesystem', 'base/deployment.yaml', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false', /writable root filesystem/],
  ['a kustomization field the builder does not implement', 'overlays/production/kustomization.yaml', 'namespace: sessiond', 'namespace: sessiond\ncommonLabels:\n  team: x', /"commonLabels" is not supported/],
  ['a ServiceMonitor on a port the Service lacks', 'optional/servicemonitor.yaml', 'port: http', 'port: metrics', /endpoint port metrics is no named Service port/],
  ['an unknown apiVersion', 'base/pdb.yaml', 'policy/v1', 'policy/v1beta7', /no model for apiVersion policy\/v1beta7/]
]

for (const [what, file, from, to, expected] of mistakes) {
  t.test(`${what} fails validation`, async (t) => {
    const errors = await errorsWith(file, from, to)
    t.match(errors.join('\n'), expected)
  })
}
