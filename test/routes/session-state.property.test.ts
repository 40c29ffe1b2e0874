// Random sequences of PATCHes, driven through HTTP against a real Redis, must agree with a model of
// the state machine written here from the contract text (independently of src/domain).
import t from 'tap'
import fc from 'fast-check'
import { buildTestApp, createSession, json } from '../helper.js'

type State = 'initializing' | 'active' | 'paused' | 'transitioning' | 'completed' | 'error'
type Safety = 'none' | 'low' | 'moderate' | 'high' | 'crisis'
interface Model { state: State, safety: Safety, version: number }

const allowed: Record<State, State[]> = {
  initializing: ['active', 'error'],
  active: ['paused', 'transitioning', 'error'],
  paused: ['active', 'error'],
  transitioning: ['active', 'error'],
  error: ['active'],
  completed: []
}

/** The expected HTTP outcome of one PATCH, and the model after it. */
function expect (m: Model, body: { state?: State, safety_level?: Safety }): { status: number, code?: string, next: Model } {
  const safety = body.safety_level ?? m.safety
  let state = m.state
  if (body.state !== undefined && body.state !== m.state) {
    if (!allowed[m.state].includes(body.state)) return { status: 409, code: 'invalid_transition', next: m }
    if (m.state === 'paused' && body.state === 'active' && safety === 'crisis') return { status: 409, code: 'safety_hold', next: m }
    state = body.state
  }
  if (safety === 'crisis' && (state === 'active' || state === 'transitioning')) state = 'paused'
  const changed = state !== m.state || safety !== m.safety
  return { status: 200, next: { state, safety, version: m.version + (changed ? 1 : 0) } }
}

const states: State[] = ['initializing', 'active', 'paused', 'transitioning', 'completed', 'error']
const safeties: Safety[] = ['none', 'low', 'moderate', 'high', 'crisis']
const patchArb = fc.record({ state: fc.constantFrom(...states), safety_level: fc.constantFrom(...safeties) }, { requiredKeys: [] })
  .filter((p) => Object.keys(p).length > 0)

t.test('random PATCH sequences agree with the model of the state machine', async (t) => {
  const { app } = await buildTestApp(t)
  await fc.assert(fc.asyncProperty(
    fc.constantFrom<State>('initializing', 'active'),
    fc.array(patchArb, { minLength: 1, maxLength: 12 }),
    async (initial, patches) => {
      const s = await createSession(app, { state: initial })
      let model: Model = { state: initial, safety: 'none', version: 1 }
      for (const body of patches) {
        const outcome = expect(model, body)
        const r = await app.inject({ method: 'PATCH', url: `/v1/sessions/${s.id}`, payload: body })
        if (r.statusCode !== outcome.status) throw new Error(`${JSON.stringify(model)} + ${JSON.stringify(body)}: got ${r.statusCode} ${r.body}`)
        if (outcome.code !== undefined && json(r).code !== outcome.code) throw new Error(`expected ${outcome.code}, got ${json(r).code}`)
        model = outcome.next
        const stored = json(await app.inject({ method: 'GET', url: `/v1/sessions/${s.id}?touch=false` }))
        if (stored.state !== model.state || stored.safety_level !== model.safety || stored.version !== model.version) {
          throw new Error(`after ${JSON.stringify(body)} expected ${JSON.stringify(model)}, stored ${stored.state}/${stored.safety_level}/v${stored.version}`)
        }
      }
    }
  ), { numRuns: 150 })
  t.pass('150 random sequences matched the model')
})
