// Response serializers. A success body gets the fast-json-stringify serializer Fastify compiles from
// its schema. An error status always answers a problem document built by problemFor() (src/errors.ts,
// plugins/errors.ts), so every route and error status shares one plain serializer instead of one
// compiled per route and status — about 250 of them, which cost heap and start-up time for nothing
// (docs/decisions/0717). The problem schemas still document every route in the OpenAPI document.
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type BuildSerializer = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>

/** A status (200, '4xx', 'default') whose body is a problem document. */
const answersProblem = (status: string): boolean => status.startsWith('4') || status.startsWith('5')

const serializeProblem = (problem: unknown): string => JSON.stringify(problem)

export const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options)
  return (route) => (answersProblem(String(route.httpStatus)) ? serializeProblem : compile(route))
}
