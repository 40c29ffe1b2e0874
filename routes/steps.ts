// /v1/sessions/{id}/steps: save, read, list and remove onboarding steps (contract §4).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, JsonResponse, EmptyResponse, NotModified, ConditionalReadHeaders, withExample } from '../schemas/common.js'
import { StepParams, StepData, SaveStepResult, Step, StepList, ListStepsQuery } from '../schemas/steps.js'
import { saveStepExample, stepDataExample } from '../schemas/examples.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'
import { WRITE_UNDER_SESSION, problems } from '../src/errors.js'
import { jsonText } from '../src/domain/json-text.js'
import { savedStepJson } from '../src/domain/step-json.js'

const tags = ['steps']
const ifMatch = Type.Object({ 'if-match': IfMatchHeader })

const steps: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.put('/sessions/:id/steps/:n', {
    schema: {
      operationId: 'saveStep',
      summary: 'Save (replace) step n; updates progress atomically',
      description: 'Stores the JSON object as step `n` (1 ≤ n ≤ the session\'s `total_steps`, else `validation_failed`), replacing what was there, and updates progress in the same atomic change. Any kind of session may have steps.',
      tags,
      params: StepParams,
      headers: ifMatch,
      body: withExample(StepData, stepDataExample),
      response: {
        200: JsonResponse('The saved step with the new progress; `etag` is the session version', SaveStepResult, { headers: ['etag'], example: saveStepExample }),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 412, 413, 415, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { id, n } = request.params
    const { version, saved } = await repos.steps.save(id, request.access, n, request.body, expectedVersion(request.headers['if-match']))
    // The data's text is the one stored (remembered by jsonText): the answer does not serialize it again.
    return await reply.header('etag', etagOf(version)).jsonText(savedStepJson(saved, jsonText(request.body)))
  })

  fastify.get('/sessions/:id/steps/:n', {
    schema: {
      operationId: 'getStep',
      summary: 'Read one saved step',
      description: 'Returns step `n` as saved; a step that was never saved (or was deleted) is `step_not_found`.',
      tags,
      params: StepParams,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('The step; `etag` is the session version', Step, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 'step_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { version, step } = await repos.steps.get(request.params.id, request.access, request.params.n)
    return reply.versioned(version, step)
  })

  fastify.get('/sessions/:id/steps', {
    schema: {
      operationId: 'listSteps',
      summary: 'List the saved steps in step order, with progress',
      description: 'Saved steps in ascending step order, paginated with `cursor` and `limit`, with the session\'s progress.',
      tags,
      params: SessionParams,
      querystring: ListStepsQuery,
      headers: ConditionalReadHeaders,
      response: {
        200: JsonResponse('A page of steps; `etag` is the session version', StepList, { headers: ['etag'] }),
        304: NotModified,
        ...problems(400, 401, 'session_not_found', 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { version, progress, page } = await repos.steps.list(request.params.id, request.access, request.query.cursor, request.query.limit)
    return reply.versioned(version, { steps: page.items, progress, next_cursor: page.nextCursor })
  })

  fastify.delete('/sessions/:id/steps/:n', {
    schema: {
      operationId: 'deleteStep',
      summary: 'Remove a saved step',
      description: 'Removes step `n` and updates progress in the same atomic change.',
      tags,
      params: StepParams,
      headers: ifMatch,
      response: {
        204: EmptyResponse('Removed; `etag` is the new session version', ['etag']),
        ...problems(400, 401, ...WRITE_UNDER_SESSION, 'step_not_found', 412, 413, 415, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const { version } = await repos.steps.delete(request.params.id, request.access, request.params.n, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default steps
