// Baseline (b): Fastify + one ioredis GET of a 1 KiB string, answered as JSON. The ceiling of a read.
import { baselineApp, baselineEnv, baselineKeys, baselineRedis, listen } from './common.js'

const env = baselineEnv()
const app = baselineApp(env)
const redis = baselineRedis(env)
app.get('/blob', async () => ({ value: await redis.get(baselineKeys.blob) }))
await listen(app, env, redis)
