// The repositories routes reach data through. Routes never see ioredis.
import fp from 'fastify-plugin'
import { SessionRepository } from '../src/repositories/session-repository.js'

export interface Repositories {
  sessions: SessionRepository
}

declare module 'fastify' {
  interface FastifyInstance { repos: Repositories }
}

export default fp(async function repositories (fastify) {
  const { redis, config } = fastify
  fastify.decorate('repos', {
    sessions: new SessionRepository(redis, config.sessions)
  })
}, { name: 'repositories', dependencies: ['redis'] })
