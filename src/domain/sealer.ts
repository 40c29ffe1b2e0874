// Encryption at rest (contract §13, docs/decisions/0900): AES-256-GCM with a fresh random 12-byte nonce
// per value, the key id stored with the value, and the owning session (or user) id as associated data,
// so a value copied into another session does not open. A sealed value is text:
//   \u0001v1.<kid>.<base64url of nonce | ciphertext | tag>
// \u0001 can never start JSON text, so a value written before encryption was turned on is told apart
// and read as it is. No I/O: the randomness is the only thing it takes from outside.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { randomSlice } from './random.js'
import { setNewest } from './bounded-map.js'
import type { EncryptionKey } from '../config.js'

/** The first character of every sealed value (never the first of JSON text). */
export const SEALED_MARK = '\u0001'
const FORMAT = 'v1'
const NONCE_BYTES = 12
const TAG_BYTES = 16
const TOKEN = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]+)$/
/**
 * Opened values remembered, by their sealed text (docs/decisions/0724): at most this many, each at most
 * OPENED_MAX_CHARS long.
 */
export const OPENED_LIMIT = 2048
const OPENED_MAX_CHARS = 4096

/** A stored value that does not open: an unknown key id, a tampered value, or one of another session. */
export class SealedValueError extends Error {
  constructor (readonly keyId: string, reason: string) {
    super(`a stored value sealed under key id "${keyId}" does not open: ${reason}`)
    this.name = 'SealedValueError'
  }
}

/** True when `stored` is a sealed value (not plaintext written before encryption was on). */
export const isSealed = (stored: string): boolean => stored.charCodeAt(0) === 1

/** The key id a sealed value names, or null for plaintext. */
export function keyIdOf (stored: string): string | null {
  if (!isSealed(stored)) return null
  return TOKEN.exec(stored.slice(1))?.[1] ?? ''
}

export class Sealer {
  private readonly ring: Map<string, KeyObject>
  /** The key that seals; every key of the ring opens. */
  readonly currentKeyId: string
  private readonly currentKey: KeyObject
  private readonly opened = new Map<string, { aad: string, plaintext: string }>()

  constructor (keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('a Sealer needs at least one key')
    this.ring = new Map(keys.map((k) => [k.id, createSecretKey(k.key)]))
    this.currentKeyId = keys[0]!.id
    this.currentKey = this.ring.get(this.currentKeyId)!
  }

  /** The key ids this ring opens. */
  get keyIds (): string[] {
    return [...this.ring.keys()]
  }

  /** `plaintext` sealed under the current key, bound to `aad` (a session or user id). */
  seal (plaintext: string, aad: string): string {
    const nonce = randomSlice(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, nonce)
    cipher.setAAD(Buffer.from(aad, 'utf8'))
    const body = Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return `${SEALED_MARK}${FORMAT}.${this.currentKeyId}.${body.toString('base64url')}`
  }

  /**
   * The plaintext of a sealed value; a value that is not sealed is returned as it is. Throws SealedValueError.
   * A value this sealer opened before under the same `aad` is answered from memory: a sealed text is
   * unique (a fresh nonce per seal) and authenticated, so the same text under the same aad opens to the
   * same plaintext, and any other text or aad is opened, and checked, in full.
   */
  open (stored: string, aad: string): string {
    if (!isSealed(stored)) return stored
    const known = this.opened.get(stored)
    if (known !== undefined && known.aad === aad) return known.plaintext
    const plaintext = this.decrypt(stored, aad)
    if (stored.length <= OPENED_MAX_CHARS) setNewest(this.opened, stored, { aad, plaintext }, OPENED_LIMIT)
    return plaintext
  }

  /** How many opened values are remembered (at most OPENED_LIMIT). */
  get rememberedCount (): number {
    return this.opened.size
  }

  private decrypt (stored: string, aad: string): string {
    const token = TOKEN.exec(stored.slice(1))
    if (token === null) throw new SealedValueError(keyIdOf(stored) ?? '', 'malformed')
    const keyId = token[1]!
    const key = this.ring.get(keyId)
    if (key === undefined) throw new SealedValueError(keyId, 'the key id is not in ENCRYPTION_KEYS')
    const body = Buffer.from(token[2]!, 'base64url')
    if (body.length < NONCE_BYTES + TAG_BYTES) throw new SealedValueError(keyId, 'malformed')
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE_BYTES))
      decipher.setAAD(Buffer.from(aad, 'utf8'))
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
      return Buffer.concat([decipher.update(body.subarray(NONCE_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new SealedValueError(keyId, 'authentication failed (tampered, or stored under another id)')
    }
  }

  /** True when `stored` is sealed under a key other than the current one (rotate-keys rewrites it). */
  isStale (stored: string): boolean {
    return isSealed(stored) && keyIdOf(stored) !== this.currentKeyId
  }
}
