// The audit trail names an end user by a random pseudonym, never by their `sub` (docs/decisions/0406):
// `user:<sub>` is stored as `user~<pseudonym>`. Two keys link the two, both kept as long as the trail
// and both deleted when the user is erased: the user's pseudonym (user scope, under the user's hash)
// and whom a pseudonym stands for (global scope). Reading the trail turns a pseudonym back into
// `user:<sub>` while the user exists; after erasure it stays `user~<pseudonym>`, which says that one
// (erased) user did these things and nothing about who.
import type { RedisStore } from '../redis/store.js'
import { randomSlice } from '../domain/random.js'
import { setNewest } from '../domain/bounded-map.js'

const USER = 'user:'
const PSEUDONYMOUS = 'user~'
/** A pseudonym is re-read from Redis (and its keys' TTLs renewed) at most this often per user and instance. */
const REMEMBER_MS = 60_000
const REMEMBERED_AT_MOST = 10_000

export class AuditPseudonyms {
  private readonly remembered = new Map<string, { pseudonym: string, atMs: number }>()

  constructor (
    private readonly store: RedisStore,
    /** How long the keys live: longer than any audit entry that names the pseudonym. */
    private readonly keepMs: number
  ) {}

  /** The principals as the trail stores them: every `user:<sub>` replaced by `user~<pseudonym>`. */
  async pseudonymise (principals: readonly string[], nowMs: number = Date.now()): Promise<string[]> {
    const subs = [...new Set(principals.filter((p) => p.startsWith(USER)).map((p) => p.slice(USER.length)))]
    const bySub = new Map<string, string>()
    await Promise.all(subs.map(async (sub) => { bySub.set(sub, await this.pseudonymOf(sub, nowMs)) }))
    return principals.map((p) => p.startsWith(USER) ? PSEUDONYMOUS + bySub.get(p.slice(USER.length))! : p)
  }

  /** The principals as the trail shows them: `user~<pseudonym>` back to `user:<sub>` where the user is not erased. */
  async reveal (principals: readonly string[], deadline?: number): Promise<string[]> {
    const pseudonyms = [...new Set(principals.filter((p) => p.startsWith(PSEUDONYMOUS)).map((p) => p.slice(PSEUDONYMOUS.length)))]
    if (pseudonyms.length === 0) return [...principals]
    const keys = this.store.keys
    const subs = await Promise.all(pseudonyms.map(async (p) => await this.store.call('readAudit', async (c) => await c.get(keys.auditPrincipal(p)), deadline)))
    const bySub = new Map(pseudonyms.map((p, i) => [p, subs[i]]))
    return principals.map((p) => {
      const sub = p.startsWith(PSEUDONYMOUS) ? bySub.get(p.slice(PSEUDONYMOUS.length)) : undefined
      return typeof sub === 'string' ? USER + sub : p
    })
  }

  /** Erasure: the link between the user and their pseudonym is destroyed; entries keep the pseudonym. */
  async forget (userId: string, deadline?: number): Promise<void> {
    this.remembered.delete(userId)
    const keys = this.store.keys
    const own = keys.userPseudonym(userId)
    await this.store.sequence('eraseUser', async (c) => {
      const pseudonym = await c.get(own)
      await c.del(...(pseudonym === null ? [own] : [own, keys.auditPrincipal(pseudonym)]))
    }, deadline)
  }

  private async pseudonymOf (sub: string, nowMs: number): Promise<string> {
    const known = this.remembered.get(sub)
    if (known !== undefined && nowMs - known.atMs < REMEMBER_MS) return known.pseudonym
    const keys = this.store.keys
    const own = keys.userPseudonym(sub)
    const candidate = randomSlice(12).toString('base64url')
    // One transaction on the user's key: the pseudonym it has, or this new one; its TTL renewed.
    const pseudonym = await this.store.call('auditPseudonym', async (c) => {
      const replies = await c.multi().set(own, candidate, 'PX', this.keepMs, 'NX').get(own).pexpire(own, this.keepMs).exec()
      const value = replies?.[1]?.[1]
      if (typeof value !== 'string') throw new Error('audit pseudonym: no value after SET NX')
      return value
    })
    await this.store.call('auditPseudonym', async (c) => await c.set(keys.auditPrincipal(pseudonym), sub, 'PX', this.keepMs))
    setNewest(this.remembered, sub, { pseudonym, atMs: nowMs }, REMEMBERED_AT_MOST)
    return pseudonym
  }
}
