// /v1/users/{user_id}/progress: user progress snapshots (contract §6). Another user's snapshots are
// refused by the {user_id} guard of plugins/auth.ts (403). Not wrapped in fastify-plugin.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { UserParams, IdempotencyKeyHeader, problems } from '../schemas/common.js'
import { CreateSnapshotBody, ProgressSnapshot, SnapshotList, SnapshotQuery } from '../schemas/user-progress.js'
import { AppError } from '../src/errors.js'

const tags = ['users']

const userProgress: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.post('/users/:user_id/progress', {
    schema: {
      summary: 'Record a progress snapshot (kept PROGRESS_RETENTION_SECONDS)',
      tags,
      params: UserParams,
      headers: Type.Object({ 'idempotency-key': IdempotencyKeyHeader }),
      body: CreateSnapshotBody,
      response: { 201: ProgressSnapshot, ...problems(400, 401, 403, 413, 415, 422, 429, 500, 503) }
    }
  }, async (request, reply) => await reply.idempotent(async (snapshotId) => ({
    status: 201,
    body: await repos.userProgress.add(request.params.user_id, snapshotId, request.body, request.access),
    headers: {},
    userId: request.params.user_id
  })))

  fastify.get('/users/:user_id/progress', {
    schema: {
      summary: 'Progress snapshots, newest first',
      tags,
      params: UserParams,
      querystring: SnapshotQuery,
      response: { 200: SnapshotList, ...problems(400, 401, 403, 429, 500, 503) }
    }
  }, async (request) => {
    const page = await repos.userProgress.list(request.params.user_id, request.query.cursor, request.query.limit, request.access)
    return { snapshots: page.items, next_cursor: page.nextCursor }
  })

  fastify.get('/users/:user_id/progress/latest', {
    schema: {
      summary: 'The newest progress snapshot (404 not_found when there is none)',
      tags,
      params: UserParams,
      response: { 200: ProgressSnapshot, ...problems(400, 401, 403, 404, 429, 500, 503) }
    }
  }, async (request) => {
    const latest = await repos.userProgress.latest(request.params.user_id, request.access)
    if (latest === null) throw new AppError('not_found', 'No progress snapshot within the retention')
    return latest
  })
}

export default userProgress
