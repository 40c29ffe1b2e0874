// /v1/sessions/{id}/steps: save, read, list and remove onboarding steps (contract §4).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { SessionParams, IfMatchHeader, problems } from '../schemas/common.js'
import { StepParams, StepData, SaveStepResult, Step, StepList, ListStepsQuery } from '../schemas/steps.js'
import { etagOf, expectedVersion } from '../src/domain/etag.js'

const tags = ['steps']
const ifMatch = Type.Object({ 'if-match': IfMatchHeader })

const steps: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.put('/sessions/:id/steps/:n', {
    schema: {
      summary: 'Save (replace) step n; updates progress atomically',
      tags,
      params: StepParams,
      headers: ifMatch,
      body: StepData,
      response: { 200: SaveStepResult, ...problems(400, 401, 404, 409, 412, 413, 415, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { id, n } = request.params
    const { version, ...saved } = await repos.steps.save(id, request.access, n, request.body, expectedVersion(request.headers['if-match']))
    return await reply.header('etag', etagOf(version)).send(saved)
  })

  fastify.get('/sessions/:id/steps/:n', {
    schema: {
      summary: 'Read one saved step',
      tags,
      params: StepParams,
      response: { 200: Step, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { version, step } = await repos.steps.get(request.params.id, request.access, request.params.n)
    return await reply.header('etag', etagOf(version)).send(step)
  })

  fastify.get('/sessions/:id/steps', {
    schema: {
      summary: 'List the saved steps in step order, with progress',
      tags,
      params: SessionParams,
      querystring: ListStepsQuery,
      response: { 200: StepList, ...problems(400, 401, 404, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { version, progress, page } = await repos.steps.list(request.params.id, request.access, request.query.cursor, request.query.limit)
    return await reply.header('etag', etagOf(version)).send({ steps: page.items, progress, next_cursor: page.nextCursor })
  })

  fastify.delete('/sessions/:id/steps/:n', {
    schema: {
      summary: 'Remove a saved step',
      tags,
      params: StepParams,
      headers: ifMatch,
      response: { 204: Type.Null({ description: 'Removed' }), ...problems(400, 401, 404, 409, 412, 429, 500, 503) }
    }
  }, async (request, reply) => {
    const { version } = await repos.steps.delete(request.params.id, request.access, request.params.n, expectedVersion(request.headers['if-match']))
    return await reply.code(204).header('etag', etagOf(version)).send(null)
  })
}

export default steps
