// Kubernetes objects checked against kubernetes-models: its JSON-schema validation (types, required
// fields, enums), and a check for unknown fields, which that validation lets through. The known fields
// come from the models' TypeScript declarations, read with the TypeScript compiler: every field of a
// document must be a property (or a map entry) of the declared type at that path.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The module of kubernetes-models (or a CRD package) that declares apiVersion's kinds. */
export function modelModule (apiVersion: string): string {
  if (apiVersion === 'monitoring.coreos.com/v1') return '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
  return `kubernetes-models/${apiVersion}`
}

export interface Finding { path: string, message: string }

type ModelClass = (new (data: unknown) => { validate: () => void }) & { apiVersion: string, kind: string }

/** Schema validation by apiVersion/kind; an apiVersion/kind without a model is a finding too. */
export async function schemaFindings (doc: Record<string, any>): Promise<Finding[]> {
  const { apiVersion, kind } = doc
  let exports: Record<string, unknown>
  try {
    exports = await import(modelModule(apiVersion)) as Record<string, unknown>
  } catch {
    return [{ path: 'apiVersion', message: `no model for apiVersion ${String(apiVersion)}` }]
  }
  const Model = Object.values(exports).find((value): value is ModelClass =>
    typeof value === 'function' && (value as ModelClass).kind === kind && (value as ModelClass).apiVersion === apiVersion)
  if (Model === undefined) return [{ path: 'kind', message: `no model for ${String(apiVersion)} ${String(kind)}` }]
  try {
    new Model(doc).validate()
    return []
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath: string, message?: string }> }).errors
    if (errors === undefined) return [{ path: '', message: (err as Error).message }]
    return errors.map((e) => ({ path: e.instancePath.replace(/^\//, '').replace(/\//g, '.'), message: e.message ?? 'invalid' }))
  }
}

/** Reads the declared types of apiVersion/kind pairs once, and checks documents for unknown fields. */
export class KnownFields {
  private readonly checker: ts.TypeChecker
  private readonly roots = new Map<string, ts.Type>()

  private static readonly cache = new Map<string, KnownFields>()

  /** One instance per set of kinds: reading the declarations takes about a second. */
  static for (kinds: Array<{ apiVersion: string, kind: string }>): KnownFields {
    const key = [...new Set(kinds.map((k) => `${k.apiVersion} ${k.kind}`))].sort().join(',')
    let known = KnownFields.cache.get(key)
    if (known === undefined) KnownFields.cache.set(key, known = new KnownFields(kinds))
    return known
  }

  constructor (kinds: Array<{ apiVersion: string, kind: string }>) {
    const unique = [...new Map(kinds.map((k) => [`${k.apiVersion} ${k.kind}`, k])).values()]
    const lines = unique.map((k, i) =>
      `import type { I${k.kind} as T${i} } from '${modelModule(k.apiVersion)}/${k.kind}'\nexport type R${i} = T${i}`)
    // A file that exists only in memory, placed in the repository so that node_modules resolve.
    const virtualFile = join(ROOT, '__kubernetes_models__.ts')
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      strict: true, noEmit: true, skipLibCheck: true, types: []
    }
    const host = ts.createCompilerHost(options)
    const readFile = host.readFile.bind(host)
    const fileExists = host.fileExists.bind(host)
    const getSourceFile = host.getSourceFile.bind(host)
    host.readFile = (name) => name === virtualFile ? lines.join('\n') : readFile(name)
    host.fileExists = (name) => name === virtualFile || fileExists(name)
    host.getSourceFile = (name, version, ...rest) => name === virtualFile
      ? ts.createSourceFile(name, lines.join('\n'), version)
      : getSourceFile(name, version, ...rest)
    const program = ts.createProgram([virtualFile], options, host)
    this.checker = program.getTypeChecker()
    const source = program.getSourceFile(virtualFile)!
    const aliases = source.statements.filter(ts.isTypeAliasDeclaration)
    unique.forEach((k, i) => {
      const symbol = this.checker.getSymbolAtLocation(aliases[i]!.name)!
      const type = this.checker.getDeclaredTypeOfSymbol(symbol)
      // An apiVersion/kind without a model resolves to the error type (any): left out, and reported.
      if ((type.flags & ts.TypeFlags.Any) === 0) this.roots.set(`${k.apiVersion} ${k.kind}`, type)
    })
  }

  /** Unknown fields of doc, by dotted path, with the closest known name as a hint. */
  findings (doc: Record<string, any>): Finding[] {
    const root = this.roots.get(`${doc.apiVersion} ${doc.kind}`)
    if (root === undefined) return [{ path: 'kind', message: `no declared type for ${String(doc.apiVersion)} ${String(doc.kind)}` }]
    const findings: Finding[] = []
    this.walk(doc, [root], '', findings)
    return findings
  }

  private walk (value: unknown, types: ts.Type[], path: string, findings: Finding[]): void {
    if (value === null || typeof value !== 'object') return
    const candidates = types
      .map((t) => this.checker.getNonNullableType(t))
      .flatMap((t) => t.isUnion() ? t.types : [t])
    if (candidates.some((t) => (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0)) return
    if (Array.isArray(value)) {
      const items = candidates.filter((t) => this.checker.isArrayType(t))
        .map((t) => this.checker.getTypeArguments(t as ts.TypeReference)[0]!)
      // A list where the type wants something else is the schema validation's finding.
      if (items.length > 0) value.forEach((item, i) => this.walk(item, items, `${path}[${i}]`, findings))
      return
    }
    const objects = candidates.filter((t) => (t.flags & ts.TypeFlags.Object) !== 0 && !this.checker.isArrayType(t))
    if (objects.length === 0) return
    for (const [key, child] of Object.entries(value)) {
      const childTypes: ts.Type[] = []
      for (const t of objects) {
        const property = this.checker.getPropertyOfType(t, key)
        if (property !== undefined) childTypes.push(this.checker.getTypeOfSymbol(property))
        else {
          const index = this.checker.getIndexInfoOfType(t, ts.IndexKind.String)
          if (index !== undefined) childTypes.push(index.type)
        }
      }
      const childPath = path === '' ? key : `${path}.${key}`
      if (childTypes.length === 0) {
        const known = objects.flatMap((t) => this.checker.getPropertiesOfType(t).map((p) => p.name))
        findings.push({ path: childPath, message: `unknown field "${key}"${hint(key, known)}` })
        continue
      }
      this.walk(child, childTypes, childPath, findings)
    }
  }
}

function hint (key: string, known: string[]): string {
  const best = known
    .map((name) => ({ name, distance: editDistance(key.toLowerCase(), name.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0]
  return best !== undefined && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.name}"?)` : ''
}

function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}
