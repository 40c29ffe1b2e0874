// Narrative contexts of a session (contract §6). Knows nothing of HTTP; every method takes the caller's Access.
import type { RedisStore } from '../redis/store.js'
import type { Access } from '../domain/access.js'
import { ownerArg } from '../domain/access.js'
import type { NarrativeContext, NarrativeContexts, PutContextBody } from '../../schemas/narrative.js'
import { contextFromStored } from '../domain/narrative-record.js'
import type { Config } from '../config.js'
import { openContext, openContexts, sealContextData, type MaybeSealer } from '../domain/sealed-content.js'

export interface Stored<T> { value: T, version: number }

export class NarrativeRepository {
  constructor (
    private readonly store: RedisStore,
    private readonly settings: Pick<Config['sessions'], 'narrativeTtlSeconds'>,
    private readonly sealer: MaybeSealer = null
  ) {}

  /** Stores (replaces) a context; its expiry is capped at the session's (done in the script). */
  async putContext (id: string, access: Access, ifMatch: string, contextType: string, body: PutContextBody): Promise<Stored<NarrativeContext>> {
    const written = await this.store.scriptsFor(access).putNarrative(id, {
      owner: ownerArg(access), ifMatch, contextType, data: sealContextData(this.sealer, JSON.stringify(body.data), id), ttlSeconds: body.ttl_seconds ?? this.settings.narrativeTtlSeconds
    })
    return { value: contextFromStored(contextType, openContext(this.sealer, written.stored, id), Infinity), version: written.version }
  }

  /** One live context, with the session's version; not_found when absent or expired. */
  async getContext (id: string, access: Access, contextType: string): Promise<Stored<NarrativeContext>> {
    const read = await this.store.scriptsFor(access).readNarrative(id, { owner: ownerArg(access), contextType })
    return { value: contextFromStored(contextType, openContext(this.sealer, read.contexts[contextType]!, id), read.sessionExpiresAtMs), version: read.version }
  }

  /** Every live context by type, with the session's version. */
  async listContexts (id: string, access: Access): Promise<Stored<NarrativeContexts['contexts']>> {
    const read = await this.store.scriptsFor(access).readNarrative(id, { owner: ownerArg(access), contextType: '' })
    const contexts: NarrativeContexts['contexts'] = {}
    for (const [type, stored] of Object.entries(openContexts(this.sealer, read.contexts, id))) {
      const { context_type: _type, ...context } = contextFromStored(type, stored, read.sessionExpiresAtMs)
      contexts[type] = context
    }
    return { value: contexts, version: read.version }
  }

  /** Deletes one context (not_found when absent or expired); returns the session's version. */
  async deleteContext (id: string, access: Access, ifMatch: string, contextType: string): Promise<number> {
    return (await this.store.scriptsFor(access).deleteNarrative(id, { owner: ownerArg(access), ifMatch, contextType })).version
  }

  /** Deletes every context (one change, or none when there was nothing live); returns the session's version. */
  async clearContexts (id: string, access: Access, ifMatch: string): Promise<number> {
    return (await this.store.scriptsFor(access).deleteNarrative(id, { owner: ownerArg(access), ifMatch, contextType: '' })).version
  }
}
