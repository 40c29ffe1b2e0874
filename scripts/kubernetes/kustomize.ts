// The part of `kustomize build` that deploy/kubernetes uses, in TypeScript, so that CI can check what
// an overlay produces without the kustomize binary: resources (files and directories), namespace,
// images, and strategic-merge patches by path. Any other field of a kustomization, or a patch directive
// ($patch, $retainKeys …), is refused rather than ignored, so this build and kustomize's never differ
// silently; whoever needs more uses a field it refuses, and this file grows with it.
import { readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { parseAllDocuments } from 'yaml'

export type Doc = Record<string, any>

export interface Source { file: string, index: number }
export interface Resource { doc: Doc, source: Source }

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches'])
const IMAGE_FIELDS = new Set(['name', 'newName', 'newTag', 'digest'])

/** Every non-empty document of a YAML file; a syntax error throws with the file and line. */
export function loadYaml (file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true })
  const out: Doc[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`)
    const value = doc.toJS() as unknown
    if (value === null || value === undefined) continue
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: a document is not a mapping`)
    out.push(value as Doc)
  }
  return out
}

export class KustomizeError extends Error {}

/** The resources `kustomize build dir` would print, with the file each came from. */
export function build (dir: string, root = dir): Resource[] {
  const file = join(dir, 'kustomization.yaml')
  const [k] = loadYaml(file)
  const where = relative(root, file) || file
  if (k === undefined || k.kind !== 'Kustomization') throw new KustomizeError(`${where}: not a Kustomization`)
  for (const field of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(field)) throw new KustomizeError(`${where}: "${field}" is not supported by scripts/kubernetes/kustomize.ts`)
  }

  const resources: Resource[] = []
  for (const entry of (k.resources ?? []) as string[]) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) resources.push(...build(path, root))
    else loadYaml(path).forEach((doc, index) => resources.push({ doc, source: { file: path, index } }))
  }

  for (const patch of (k.patches ?? []) as Doc[]) {
    if (Object.keys(patch).some((f) => f !== 'path')) throw new KustomizeError(`${where}: only patches with a path are supported`)
    const patchFile = join(dir, patch.path as string)
    for (const p of loadYaml(patchFile)) {
      const target = resources.find(({ doc }) => doc.apiVersion === p.apiVersion && doc.kind === p.kind && doc.metadata?.name === p.metadata?.name)
      if (target === undefined) throw new KustomizeError(`${relative(root, patchFile)}: no ${p.kind} ${p.metadata?.name} to patch`)
      target.doc = strategicMerge(target.doc, p, '') as Doc
    }
  }

  for (const image of (k.images ?? []) as Doc[]) {
    for (const field of Object.keys(image)) {
      if (!IMAGE_FIELDS.has(field)) throw new KustomizeError(`${where}: images.${field} is not supported`)
    }
    for (const { doc } of resources) {
      for (const container of podContainers(doc)) {
        const [name, tag] = splitImage(container.image as string)
        if (name !== image.name) continue
        const newName = (image.newName as string | undefined) ?? name
        container.image = image.digest !== undefined
          ? `${newName}@${image.digest as string}`
          : `${newName}${image.newTag !== undefined ? `:${String(image.newTag)}` : tag}`
      }
    }
  }

  if (k.namespace !== undefined) {
    for (const { doc } of resources) doc.metadata = { ...doc.metadata, namespace: k.namespace }
  }
  return resources
}

/** The containers of a Deployment-like object's pod template. */
export function podContainers (doc: Doc): Doc[] {
  const spec = doc.spec?.template?.spec
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Doc[]
}

function splitImage (image: string): [string, string] {
  const at = image.indexOf('@')
  if (at >= 0) return [image.slice(0, at), image.slice(at)]
  const colon = image.lastIndexOf(':')
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon)] : [image, '']
}

// Lists that Kubernetes merges by a key instead of replacing (the patchMergeKey of the API types).
const MERGE_KEYS: Record<string, (item: Doc) => string> = {
  containers: () => 'name',
  initContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  // Container ports merge by containerPort, Service ports by port.
  ports: (item) => 'containerPort' in item ? 'containerPort' : 'port'
}

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A strategic merge patch: maps merge, keyed lists merge by key, other lists and scalars replace, null deletes. */
export function strategicMerge (base: unknown, patch: unknown, field: string): unknown {
  if (isObject(patch)) {
    for (const key of Object.keys(patch)) {
      if (key.startsWith('$')) throw new KustomizeError(`patch directive ${key} is not supported`)
    }
    if (!isObject(base)) return strategicMerge({}, patch, field)
    const out: Doc = { ...base }
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key]
      else out[key] = strategicMerge(base[key], value, key)
    }
    return out
  }
  const mergeKey = MERGE_KEYS[field]
  if (Array.isArray(patch) && Array.isArray(base) && mergeKey !== undefined) {
    const out = [...base] as Doc[]
    for (const item of patch as Doc[]) {
      const key = mergeKey(item)
      const i = out.findIndex((existing) => existing[key] === item[key])
      if (i >= 0) out[i] = strategicMerge(out[i], item, '') as Doc
      else out.push(item)
    }
    return out
  }
  return patch
}

/** Which files a kustomization tree reads as patches (they are partial objects, checked as such). */
export function patchFiles (dir: string): string[] {
  const [k] = loadYaml(join(dir, 'kustomization.yaml'))
  const own = ((k?.patches ?? []) as Doc[]).map((p) => join(dir, p.path as string))
  const nested = ((k?.resources ?? []) as string[])
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isDirectory())
    .flatMap((path) => patchFiles(path))
  return [...own, ...nested]
}

export const kustomizationDirs = (files: string[]): string[] =>
  files.filter((f) => f.endsWith('/kustomization.yaml')).map((f) => dirname(f))
