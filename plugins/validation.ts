// Request validation. Bodies: no type coercion, unknown fields rejected (never silently dropped).
// Query strings, params and headers arrive as strings and are parsed from their string form.
import fp from 'fastify-plugin'
import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchema } from 'fastify'
import { jsonText } from '../src/domain/json-text.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** `x-max-bytes`: the JSON-serialized size of a value is at most this many bytes. */
function addMaxBytesKeyword (ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'x-max-bytes',
    schemaType: 'number',
    errors: true,
    validate: function maxBytes (limit: number, data: unknown) {
      const ok = Buffer.byteLength(jsonText(data), 'utf8') <= limit
      if (!ok) (maxBytes as any).errors = [{ keyword: 'x-max-bytes', message: `must be at most ${limit} bytes when serialized`, params: { limit } }]
      return ok
    }
  })
}

function makeAjv (options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options })
  addFormats(ajv)
  addMaxBytesKeyword(ajv)
  return ajv
}

export default fp(async function validation (fastify) {
  // JSON in, JSON out: a body in any other media type (text/plain included) is 415.
  fastify.removeContentTypeParser('text/plain')
  // Many clients send content-type: application/json on every request, DELETE included: an empty JSON
  // body means "no body" (a route that needs one still answers 400), otherwise Fastify's safe parser.
  const parseJson = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') { done(null, undefined); return }
    parseJson(request, body as string, done)
  })
  const bodies = makeAjv({ coerceTypes: false })
  const strings = makeAjv({ coerceTypes: 'array' })
  fastify.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema, httpPart?: string }) =>
    (httpPart === 'body' ? bodies : strings).compile(schema as object))
}, { name: 'validation' })
