// Builds the app without connecting to Redis and returns its OpenAPI document as YAML, exactly as
// GET /openapi.yaml serves it.
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

export async function openapiYaml (): Promise<string> {
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent', NODE_ENV: 'development' })
  const app = await buildApp(config, { connectRedis: false })
  await app.ready()
  const response = await app.inject('/openapi.yaml')
  await app.close()
  if (response.statusCode !== 200) throw new Error(`GET /openapi.yaml answered ${response.statusCode}: ${response.body}`)
  return response.body
}
