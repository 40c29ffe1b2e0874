// /v1/users/{user_id}/progress: user progress snapshots (contract §6). Another user's snapshots are
// refused by the {user_id} guard of plugins/auth.ts (403). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { UserParams, IdempotencyKeyHeader, JsonResponse, withExample } from '../schemas/common.js'
import { CreateSnapshotBody, ProgressSnapshot, SnapshotList, SnapshotQuery } from '../schemas/user-progress.js'
import { AppError, problems } from '../src/errors.js'

const tags = ['users']

const userProgress: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/users/:user_id/progress', {
    schema: {
      operationId: 'createProgressSnapshot',
      summary: 'Record a progress snapshot (kept PROGRESS_RETENTION_SECONDS)',
      description: 'Records the user\'s metrics, skills and milestones at this moment, across sessions. With an `Idempotency-Key`, a retry within 24 h returns the first response instead of recording twice.',
      tags,
      params: UserParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader }),
      body: withExample(CreateSnapshotBody, { metrics: { mood: 7, sleep_hours: 6.5 }, skills_developed: ['breathing'], milestones_achieved: 2 }),
      response: {
        201: JsonResponse('The stored snapshot', ProgressSnapshot, { headers: ['idempotent-replayed'] }),
        ...problems(400, 401, 403, 413, 415, 422, 429, 500, 503)
      }
    }
  }, async (request, reply) => await reply.idempotent(async (snapshotId) => ({
    status: 201,
    body: await repos.userProgress.add(request.params.user_id, snapshotId, request.body, request.access),
    headers: {},
    userId: request.params.user_id
  })))

  fastify.get('/users/:user_id/progress', {
    schema: {
      operationId: 'listProgressSnapshots',
      summary: 'Progress snapshots, newest first',
      description: 'A page of the user\'s snapshots within the retention, newest first; follow `next_cursor` for the next page.',
      tags,
      params: UserParams,
      querystring: SnapshotQuery,
      response: {
        200: JsonResponse('A page of snapshots', SnapshotList),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async (request) => {
    const page = await repos.userProgress.list(request.params.user_id, request.query.cursor, request.query.limit, request.access)
    return { snapshots: page.items, next_cursor: page.nextCursor }
  })

  fastify.get('/users/:user_id/progress/latest', {
    schema: {
      operationId: 'getLatestProgressSnapshot',
      summary: 'The newest progress snapshot (404 not_found when there is none)',
      description: 'The user\'s most recent snapshot; `not_found` when there is none within the retention.',
      tags,
      params: UserParams,
      response: {
        200: JsonResponse('The newest snapshot', ProgressSnapshot),
        ...problems(400, 401, 403, 'not_found', 429, 500, 503)
      }
    }
  }, async (request) => {
    const latest = await repos.userProgress.latest(request.params.user_id, request.access)
    if (latest === null) throw new AppError('not_found', 'No progress snapshot within the retention')
    return latest
  })
}

export default userProgress
