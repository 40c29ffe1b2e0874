// Narrative contexts of a session (contract §6). Knows nothing of HTTP; every method takes the caller's Access.
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { NarrativeContext, NarrativeContexts, PutContextBody } from '../../schemas/narrative.js'
import { contextFromStored } from '../domain/narrative-record.js'
import { writtenFrom, type Written } from './results.js'
import type { Config } from '../config.js'

export class NarrativeRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'narrativeTtlSeconds'>
  ) {}

  private keysOf (id: string): string[] {
    return this.store.keys.sessionKeys(id)
  }

  /** Stores (replaces) a context; its expiry is capped at the session's (done in the script). */
  async putContext (id: string, access: Access, ifMatch: string, contextType: string, body: PutContextBody): Promise<Written<NarrativeContext>> {
    const ttlSeconds = body.ttl_seconds ?? this.settings.narrativeTtlSeconds
    const reply = await this.store.run('putNarrative', this.keysOf(id), [ownerArg(access), ifMatch, contextType, JSON.stringify(body.data), ttlSeconds])
    return writtenFrom(reply, (raw) => contextFromStored(contextType, raw, Infinity))
  }

  /** One live context; not_found when absent or expired. */
  async getContext (id: string, access: Access, contextType: string): Promise<NarrativeContext> {
    const reply = await this.store.run('readNarrative', this.keysOf(id), [ownerArg(access), contextType])
    const [, raw] = reply[1] as [string, string]
    return contextFromStored(contextType, raw, Number(reply[2]))
  }

  /** Every live context by type. */
  async listContexts (id: string, access: Access): Promise<NarrativeContexts['contexts']> {
    const reply = await this.store.run('readNarrative', this.keysOf(id), [ownerArg(access), ''])
    const flat = reply[1] as string[]
    const sessionExpiresAt = Number(reply[2])
    const contexts: NarrativeContexts['contexts'] = {}
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const { context_type: contextType, ...context } = contextFromStored(flat[i]!, flat[i + 1]!, sessionExpiresAt)
      contexts[contextType] = context
    }
    return contexts
  }

  /** Deletes one context (not_found when absent or expired); returns the session's version. */
  async deleteContext (id: string, access: Access, ifMatch: string, contextType: string): Promise<number> {
    const reply = await this.store.run('deleteNarrative', this.keysOf(id), [ownerArg(access), ifMatch, contextType])
    return Number(reply[2])
  }

  /** Deletes every context (one change, or none when there was nothing live); returns the session's version. */
  async clearContexts (id: string, access: Access, ifMatch: string): Promise<number> {
    const reply = await this.store.run('deleteNarrative', this.keysOf(id), [ownerArg(access), ifMatch, ''])
    return Number(reply[2])
  }
}
