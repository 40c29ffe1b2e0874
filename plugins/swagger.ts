// The OpenAPI 3.1 document, generated from the route schemas, plus Swagger UI at /docs and the raw
// document at /openapi.json and /openapi.yaml (those three are not part of the document).
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { SERVICE_VERSION as version } from '../src/version.js'
import { Problem } from '../schemas/common.js'
import { Session } from '../schemas/session.js'
import { Progress } from '../schemas/summary.js'

/** The Content-Security-Policy of Swagger UI at /docs. */
export const DOCS_CSP = "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'"

function optionalDefaults (schema: Record<string, any>): any {
  const query = schema?.querystring
  if (query?.properties === undefined || !Array.isArray(query.required)) return schema
  const required = query.required.filter((name: string) => query.properties[name]?.default === undefined)
  return { ...schema, querystring: { ...query, required } }
}

export default fp(async function openapi (fastify) {
  fastify.addSchema(Problem)
  fastify.addSchema(Session)
  fastify.addSchema(Progress)

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sessiond',
        version,
        description: 'Redis-backed session service: sessions, onboarding steps, narrative, chat history and events.'
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key or end-user JWT' } } },
      tags: [
        { name: 'sessions', description: 'Session lifecycle' },
        { name: 'users', description: 'Per-user listing and erasure' },
        { name: 'operations', description: 'Probes and metrics' }
      ]
    },
    // A query parameter with a default is optional for clients, even though the handler always sees it.
    transform: ({ schema, url }) => ({ schema: optionalDefaults(schema as Record<string, any>), url }),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`)
    }
  })
  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    // Its own CSP, for /docs only (the API keeps default-src 'none'). Swagger UI applies inline styles;
    // no inline script, nothing from other hosts, no online validator (docs/decisions/0604).
    staticCSP: DOCS_CSP,
    uiConfig: { validatorUrl: null }
  })

  const hidden = { schema: { hide: true } }
  fastify.get('/openapi.json', hidden, async () => fastify.swagger())
  fastify.get('/openapi.yaml', hidden, async (_request, reply) => {
    reply.type('application/yaml')
    return fastify.swagger({ yaml: true })
  })
}, { name: 'swagger' })
