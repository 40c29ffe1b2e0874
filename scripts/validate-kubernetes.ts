// npm run validate:kubernetes — checks deploy/kubernetes offline (see scripts/kubernetes/validate.ts).
// With --build <dir> (e.g. overlays/production) it prints what that kustomization builds instead.
import { join } from 'node:path'
import { stringify } from 'yaml'
import { build } from './kubernetes/kustomize.js'
import { KUBERNETES_DIR, validateKubernetes } from './kubernetes/validate.js'

const buildFlag = process.argv.indexOf('--build')
if (buildFlag >= 0) {
  const resources = build(join(KUBERNETES_DIR, process.argv[buildFlag + 1] ?? 'base'))
  process.stdout.write(resources.map((r) => stringify(r.doc)).join('---\n'))
} else {
  const started = performance.now()
  const report = await validateKubernetes()
  for (const note of report.notes) console.log(`note: ${note}`)
  for (const error of report.errors) console.error(`error: ${error}`)
  const builds = report.builds.map((b) => `${b.dir} (${b.resources} objects)`).join(', ')
  console.log(`deploy/kubernetes: ${report.files} files, ${report.documents} documents; built ${builds}; ` +
    `${report.errors.length} errors in ${Math.round(performance.now() - started)} ms`)
  process.exitCode = report.errors.length > 0 ? 1 : 0
}
