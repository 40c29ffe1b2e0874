// What every baseline server shares: its settings from the environment, a quiet Fastify, a Redis
// connection, and a clean stop on SIGTERM. Baselines are bench-only code, never imported by sessiond.
import Fastify, { type FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'

/** Key names the harness seeds and the baselines read: one place for both. */
export const baselineKeys = {
  blob: 'bench:base:blob',
  counter: (slot: string) => `bench:base:counter:{${slot}}`,
  session: (id: string) => `bench:peer:session:{${id}}`,
  steps: (id: string) => `bench:peer:steps:{${id}}`
}

export interface BaselineEnv { port: number, redisUrl: string, jwtSecret: string, logLevel: string }

export function baselineEnv (): BaselineEnv {
  return {
    port: Number(process.env.PORT ?? 0),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    jwtSecret: process.env.JWT_SECRET ?? '',
    logLevel: process.env.LOG_LEVEL ?? 'warn'
  }
}

export function baselineApp (env: BaselineEnv): FastifyInstance {
  return Fastify({ logger: { level: env.logLevel } })
}

export function baselineRedis (env: BaselineEnv): Redis {
  return new Redis(env.redisUrl, { maxRetriesPerRequest: 1 })
}

export async function listen (app: FastifyInstance, env: BaselineEnv, redis?: Redis): Promise<void> {
  app.get('/ready', async () => ({ ok: true }))
  process.once('SIGTERM', () => {
    void app.close().then(() => redis?.disconnect()).finally(() => process.exit(0))
  })
  await app.listen({ port: env.port, host: '127.0.0.1' })
}
