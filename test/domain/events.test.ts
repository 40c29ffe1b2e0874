// The event vocabulary: stored codes, field orders, and the codec, held to the payload schemas.
import t from 'tap'
import { Value } from 'typebox/value'
import { EVENT_PAYLOADS } from '../../schemas/events.js'
import { EVENT_CODES, EVENT_FIELDS, EVENT_TYPES, changeEvent, decodeEvent, encodedValues, type ChangeEvent } from '../../src/domain/events.js'

t.test('every event type of contract §8 is in the vocabulary, with a code of its own', async (t) => {
  t.same([...EVENT_TYPES].sort(), [
    'choice.made', 'message.created', 'narrative.updated', 'scene.entered', 'session.created', 'session.deleted',
    'session.expired', 'session.finalized', 'session.paused', 'session.state_changed', 'session.updated', 'step.deleted', 'step.saved'
  ])
  t.equal(new Set(Object.values(EVENT_CODES)).size, EVENT_TYPES.length, 'no two types share a code')
})

t.test('each type stores exactly the fields its payload schema has', async (t) => {
  for (const type of EVENT_TYPES) {
    t.same([...EVENT_FIELDS[type]].sort(), Object.keys(EVENT_PAYLOADS[type].properties).sort(), type)
  }
})

t.test('an event encodes to a compact array and decodes to the payload it was made from', async (t) => {
  const samples: ChangeEvent[] = [
    changeEvent('session.created', { kind: 'chat' }),
    changeEvent('session.updated', { changed: ['state', 'metadata'] }),
    changeEvent('session.state_changed', { from: 'active', to: 'paused' }),
    changeEvent('session.paused', { reason: 'safety' }),
    changeEvent('step.saved', { step: 4 }),
    changeEvent('narrative.updated', { action: 'deleted', context_types: ['world_state'] }),
    changeEvent('scene.entered', { entry_id: 'e1', scene_id: 'a "quoted" scene', index: 3 }),
    changeEvent('choice.made', { entry_id: 'e2', scene_id: 's', choice_id: 'c', index: 0 }),
    changeEvent('message.created', { message_id: 'm1', seq: 7, role: 'assistant' }),
    changeEvent('session.finalized', { finalized_at: '2026-11-30T10:00:00.000Z', completed: 3, total: 4 }),
    changeEvent('session.deleted', {})
  ]
  for (const event of samples) {
    const values = encodedValues(event)
    const stored = `[9,1796032800000,${EVENT_CODES[event.type]}${values === '' ? '' : `,${values}`}]`
    const decoded = decodeEvent('s1', stored)
    t.same(decoded, { type: event.type, session_id: 's1', version: 9, at: '2026-11-30T10:00:00.000Z', data: event.data }, event.type)
    t.ok(Value.Check(EVENT_PAYLOADS[event.type], decoded.data), `${event.type} data matches its schema`)
  }
  t.throws(() => decodeEvent('s1', '[1,1,99]'), /unknown event code 99/)
})
