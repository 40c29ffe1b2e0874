// /v1/users/{user_id}/sessions: a user's live sessions, and erasure of everything of theirs.
// Another user's routes are refused by the {user_id} guard of plugins/auth.ts (403).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { UserParams, problems } from '../schemas/common.js'
import { ListSessionsQuery, SessionList, ErasureResult } from '../schemas/session.js'

const tags = ['users']

const users: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/users/:user_id/sessions', {
    schema: {
      summary: "A user's live sessions, newest first",
      tags,
      params: UserParams,
      querystring: ListSessionsQuery,
      response: { 200: SessionList, ...problems(400, 401, 403, 429, 500, 503) }
    }
  }, async (request) => {
    const page = await repos.users.listSessions(request.params.user_id, request.access, request.query)
    return { sessions: page.items, next_cursor: page.nextCursor }
  })

  fastify.delete('/users/:user_id/sessions', {
    schema: {
      summary: 'Erase every session of the user and all data under them (right to erasure)',
      tags,
      params: UserParams,
      response: { 200: ErasureResult, ...problems(400, 401, 403, 429, 500, 503) }
    }
  }, async (request) => ({ deleted: await repos.users.erase(request.params.user_id, request.access) }))
}

export default users
