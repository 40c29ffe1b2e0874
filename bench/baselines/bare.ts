// Baseline (a): bare Fastify answering a small JSON object. The ceiling of this machine for any route.
import { baselineApp, baselineEnv, listen } from './common.js'

const env = baselineEnv()
const app = baselineApp(env)
app.get('/', async () => ({ hello: 'world' }))
await listen(app, env)
