// The repositories routes reach data through. Routes never see ioredis.
import fp from 'fastify-plugin'
import { SessionRepository } from '../src/repositories/session-repository.js'
import { AuditLog } from '../src/repositories/audit-log.js'

export interface Repositories {
  sessions: SessionRepository
  audit: AuditLog
}

declare module 'fastify' {
  interface FastifyInstance { repos: Repositories }
}

export default fp(async function repositories (fastify) {
  const { redis, config } = fastify
  fastify.decorate('repos', {
    sessions: new SessionRepository(redis, config.sessions),
    audit: new AuditLog(redis, config.auditRetentionSeconds)
  })
}, { name: 'repositories', dependencies: ['redis'] })
