// The repositories routes reach data through. Routes never see ioredis.
import fp from 'fastify-plugin'
import { SessionRepository } from '../src/repositories/session-repository.js'
import { UserRepository } from '../src/repositories/user-repository.js'
import { StepRepository } from '../src/repositories/step-repository.js'
import { FinalizeRepository } from '../src/repositories/finalize-repository.js'
import { NarrativeRepository } from '../src/repositories/narrative-repository.js'
import { SceneRepository } from '../src/repositories/scene-repository.js'
import { MessageRepository } from '../src/repositories/message-repository.js'
import { UserProgressRepository } from '../src/repositories/user-progress-repository.js'
import { AuditLog } from '../src/repositories/audit-log.js'

export interface Repositories {
  sessions: SessionRepository
  users: UserRepository
  steps: StepRepository
  finalize: FinalizeRepository
  narrative: NarrativeRepository
  scenes: SceneRepository
  messages: MessageRepository
  userProgress: UserProgressRepository
  audit: AuditLog
}

declare module 'fastify' {
  interface FastifyInstance { repos: Repositories }
}

export default fp(async function repositories (fastify) {
  const { redis, config } = fastify
  const sessions = new SessionRepository(redis, config.sessions)
  fastify.decorate('repos', {
    sessions,
    users: new UserRepository(redis, sessions),
    steps: new StepRepository(redis),
    finalize: new FinalizeRepository(redis, config.sessions, sessions),
    narrative: new NarrativeRepository(redis, config.sessions),
    scenes: new SceneRepository(redis),
    messages: new MessageRepository(redis, config.sessions),
    userProgress: new UserProgressRepository(redis, config.sessions),
    audit: new AuditLog(redis, config.auditRetentionSeconds)
  })
}, { name: 'repositories', dependencies: ['redis'] })
