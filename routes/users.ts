// /v1/users/{user_id}/sessions: a user's live sessions, and erasure of everything of theirs.
// Another user's routes are refused by the {user_id} guard of plugins/auth.ts (403).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { UserParams, JsonResponse } from '../schemas/common.js'
import { ListSessionsQuery, SessionList, ErasureResult } from '../schemas/session.js'
import { problems } from '../src/errors.js'
import { sessionListJson } from '../src/domain/session-json.js'

const tags = ['users']

const users: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos } = fastify

  fastify.get('/users/:user_id/sessions', {
    schema: {
      operationId: 'listUserSessions',
      summary: "A user's live sessions, newest first",
      description: 'The user\'s sessions that have not expired (finalized ones while they are kept), newest first, optionally only one `state` or `kind`. A user token may list only its own.',
      tags,
      params: UserParams,
      querystring: ListSessionsQuery,
      response: {
        200: JsonResponse('A page of sessions', SessionList),
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    const page = await repos.users.listSessions(request.params.user_id, request.access, request.query)
    // JSON text written from the stored records (docs/decisions/0726).
    return await reply.jsonText(sessionListJson(page.items, page.nextCursor))
  })

  fastify.delete('/users/:user_id/sessions', {
    schema: {
      operationId: 'eraseUser',
      summary: 'Erase every session of the user and all data under them (right to erasure)',
      description: 'Deletes every session of the user, with everything under each, and says how many there were. Running it again deletes nothing more.',
      tags,
      params: UserParams,
      response: {
        200: JsonResponse('How many sessions were deleted', ErasureResult, { example: { deleted: 3 } }),
        ...problems(400, 401, 403, 413, 415, 429, 500, 503)
      }
    }
  }, async (request) => ({ deleted: await repos.users.erase(request.params.user_id, request.access) }))
}

export default users
