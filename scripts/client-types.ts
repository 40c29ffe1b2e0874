// The generated part of the TypeScript client (clients/typescript): the types of every path, operation
// and component of openapi.yaml, made by openapi-typescript. The client's hand-written part
// (index.js, index.d.ts) builds on them with openapi-fetch (docs/decisions/0605).
import { readFileSync, writeFileSync } from 'node:fs'
import openapiTS, { astToString } from 'openapi-typescript'

export const CLIENT_DIR = new URL('../clients/typescript/', import.meta.url)
const DOCUMENT = new URL('../openapi.yaml', import.meta.url)
const GENERATOR_VERSION = (JSON.parse(readFileSync(new URL('../node_modules/openapi-typescript/package.json', import.meta.url), 'utf8')) as { version: string }).version

/** The files the generator writes, relative to the client folder. */
export const GENERATED_FILES = ['schema.d.ts']

/** schema.d.ts from openapi.yaml. */
export async function clientTypes (): Promise<string> {
  const ast = await openapiTS(DOCUMENT, { silent: true })
  return `// Generated from openapi.yaml by \`npm run client\` (openapi-typescript ${GENERATOR_VERSION}): do not edit.\n\n${astToString(ast)}`
}

/** Writes the generated files into `dir` (the client folder, or a temporary one to compare with it). */
export async function generateClient (dir: URL): Promise<void> {
  writeFileSync(new URL('schema.d.ts', dir), await clientTypes())
}
