// Example bodies for the OpenAPI document: one onboarding session told through its main requests and
// responses. Typed against the schemas here; the OpenAPI linters (npm run lint:openapi) check them
// against the document too.
import type { CreateSessionBody, Session } from './session.js'
import type { SaveStepResult } from './steps.js'
import type { CreateMessageBody, Message } from './message.js'
import type { FinalizeBody, Finalized } from './finalize.js'

const SESSION_ID = 'hJ3k9Qx2LmN8pR4tV6wY1zAb'
const CREATED_AT = '2026-11-22T10:00:00.000Z'

export const createSessionExample: CreateSessionBody = {
  user_id: 'user-42',
  kind: 'onboarding',
  total_steps: 3,
  metadata: { locale: 'en-GB', source: 'signup' }
}

export const sessionExample: Session = {
  id: SESSION_ID,
  user_id: 'user-42',
  workspace_id: null,
  kind: 'onboarding',
  state: 'active',
  safety_level: 'none',
  therapeutic_goals: [],
  current_scene_id: null,
  total_steps: 3,
  metadata: { locale: 'en-GB', source: 'signup' },
  ttl_seconds: 604800,
  version: 1,
  schema_version: 2,
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
  expires_at: '2026-11-29T10:00:00.000Z',
  absolute_expires_at: '2026-12-22T10:00:00.000Z',
  completed_at: null
}

export const stepDataExample = { sleep_hours: 6, goal: 'Fall asleep before midnight' }

export const saveStepExample: SaveStepResult = {
  step: 2,
  data: stepDataExample,
  saved_at: '2026-11-22T10:04:10.000Z',
  progress: { completed: 2, total: 3, percent: 66.7, completed_steps: [1, 2], next_step: 3, updated_at: '2026-11-22T10:04:10.000Z' }
}

export const createMessageExample: CreateMessageBody = { role: 'user', content: 'I could not sleep again last night.' }

export const messageExample: Message = {
  id: 'yl3zpckcdYk4Pn2SR1VCq0aB',
  seq: 1,
  role: 'user',
  content: 'I could not sleep again last night.',
  name: null,
  metadata: null,
  created_at: '2026-11-22T10:02:30.000Z'
}

export const finalizeExample: FinalizeBody = { allow_incomplete: false }

const FINALIZED_AT = '2026-11-22T10:06:00.000Z'

export const finalizedExample: Finalized = {
  session: {
    ...sessionExample,
    state: 'completed',
    version: 5,
    updated_at: FINALIZED_AT,
    expires_at: '2026-11-29T10:06:00.000Z',
    completed_at: FINALIZED_AT
  },
  progress: { completed: 3, total: 3, percent: 100, completed_steps: [1, 2, 3], next_step: null, updated_at: '2026-11-22T10:05:20.000Z' },
  context: {
    steps: {
      1: { name: 'Ada', timezone: 'Europe/London' },
      2: stepDataExample,
      3: { reminders: true, goal: 'Sleep seven hours' }
    },
    merged: { name: 'Ada', timezone: 'Europe/London', sleep_hours: 6, goal: 'Sleep seven hours', reminders: true },
    narrative: {},
    metadata: { locale: 'en-GB', source: 'signup' }
  },
  finalized_at: FINALIZED_AT
}
