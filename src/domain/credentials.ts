// Bearer credentials → who is calling. Pure: no I/O, no Fastify. API keys are compared in constant
// time (both sides hashed first, so neither the content nor the length of a key leaks through timing);
// JWTs are verified with jose against the configured secret or public key (imported once), `exp`
// required. A verified JWT is remembered until its `exp` (bounded cache), so a repeated token costs a
// map lookup instead of a signature check (docs/decisions/0703-verified-token-cache.md).
import { createHash, timingSafeEqual } from 'node:crypto'
import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey, type JWTHeaderParameters } from 'jose'
import { publicKeyAlgorithm, type Config } from '../config.js'
import { UserId } from '../../schemas/common.js'
import { ANY_OWNER, type Access } from './access.js'
import type { Principal } from './principal.js'
import { setNewest } from './bounded-map.js'

export interface Authenticated { principal: Principal, access: Access }

/** Why a request has no principal; the reason goes to the debug log, never the token. */
export type AuthFailure = 'missing_token' | 'malformed_header' | 'unknown_key' | 'invalid_jwt' | 'expired_jwt' | 'future_jwt' | 'invalid_subject'

export type AuthResult = Authenticated | { failure: AuthFailure }

export interface Authenticator {
  /** Synchronous for API keys and remembered JWTs; a promise when a JWT's signature must be checked. */
  authenticate: (authorization: string | undefined) => AuthResult | Promise<AuthResult>
}

/** Seconds of clock skew tolerated on exp / nbf / iat: a token issued or valid from later than this is refused. */
export const JWT_CLOCK_TOLERANCE_S = 5
/** Longer bearer values are refused before any work is done on them. */
export const MAX_TOKEN_LENGTH = 8192
/** Verified JWTs remembered at most (the oldest is forgotten first). */
export const TOKEN_CACHE_SIZE = 10_000

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const SUBJECT = new RegExp((UserId as { pattern?: string }).pattern!)

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

interface KeyEntry { digest: Buffer, authenticated: Authenticated }

function keyEntries (config: Config['auth']): KeyEntry[] {
  // Admin keys first: a key listed in both lists acts as admin.
  return [
    ...config.adminApiKeys.map(({ name, key }) => ({ digest: digest(key), authenticated: { principal: { kind: 'admin' as const, id: name }, access: ANY_OWNER } })),
    ...config.apiKeys.map(({ name, key }) => ({ digest: digest(key), authenticated: { principal: { kind: 'service' as const, id: name }, access: ANY_OWNER } }))
  ]
}

interface JwtVerifier { algorithms: string[], keyFor: (header: JWTHeaderParameters) => CryptoKey }

async function jwtVerifier (config: Config['auth']): Promise<JwtVerifier | undefined> {
  const secret = config.jwtSecret === undefined
    ? undefined
    : await crypto.subtle.importKey('raw', new TextEncoder().encode(config.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  let publicKey: { algorithm: string, key: CryptoKey } | undefined
  if (config.jwtPublicKey !== undefined) {
    const algorithm = publicKeyAlgorithm(config.jwtPublicKey)
    publicKey = { algorithm, key: await importSPKI(config.jwtPublicKey, algorithm) }
  }
  if (secret === undefined && publicKey === undefined) return undefined
  const algorithms = [...(secret !== undefined ? ['HS256'] : []), ...(publicKey !== undefined ? [publicKey.algorithm] : [])]
  return {
    algorithms,
    // Each key verifies only its own algorithm: no HS256 token "signed" with the public key (alg confusion).
    keyFor: (header) => {
      if (header.alg === 'HS256' && secret !== undefined) return secret
      if (publicKey !== undefined && header.alg === publicKey.algorithm) return publicKey.key
      throw new joseErrors.JOSEAlgNotAllowed('unexpected "alg"')
    }
  }
}

/** Verified JWTs by token, each until its exp (ms); insertion order makes the oldest the first evicted. */
class VerifiedTokens {
  private readonly entries = new Map<string, { authenticated: Authenticated, expiresAtMs: number }>()
  constructor (private readonly size: number) {}

  get (token: string, nowMs: number): Authenticated | undefined {
    const entry = this.entries.get(token)
    if (entry === undefined) return undefined
    if (entry.expiresAtMs > nowMs) return entry.authenticated
    this.entries.delete(token)
    return undefined
  }

  set (token: string, authenticated: Authenticated, expiresAtMs: number): void {
    setNewest(this.entries, token, { authenticated, expiresAtMs }, this.size)
  }
}

export async function createAuthenticator (config: Config['auth'], cacheSize: number = TOKEN_CACHE_SIZE): Promise<Authenticator> {
  const keys = keyEntries(config)
  const jwt = await jwtVerifier(config)
  const verified = new VerifiedTokens(cacheSize)

  function matchKey (token: string): Authenticated | undefined {
    const presented = digest(token)
    let found: Authenticated | undefined
    // Every configured key is compared, match or not, so timing says nothing about which one matched.
    for (const entry of keys) {
      if (timingSafeEqual(presented, entry.digest) && found === undefined) found = entry.authenticated
    }
    return found
  }

  async function verifyJwt (token: string, verifier: JwtVerifier): Promise<AuthResult> {
    try {
      const { payload } = await jwtVerify(token, verifier.keyFor, {
        algorithms: verifier.algorithms,
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        clockTolerance: JWT_CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub']
      })
      // jose checks nbf against the tolerance but iat only with maxTokenAge: a token "issued" in the future
      // (a skewed or forged clock) is refused here, before it could be remembered.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + JWT_CLOCK_TOLERANCE_S) return { failure: 'future_jwt' }
      const sub = payload.sub
      // An empty sub would read as "any owner" to the session scripts: refuse anything not a user id.
      if (typeof sub !== 'string' || !SUBJECT.test(sub)) return { failure: 'invalid_subject' }
      const authenticated: Authenticated = { principal: { kind: 'user', id: sub }, access: { kind: 'user', userId: sub } }
      // Remembered until exp itself (not exp + clock tolerance): never accepted later than jose would.
      verified.set(token, authenticated, payload.exp! * 1000)
      return authenticated
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return { failure: 'expired_jwt' }
      return { failure: err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf' ? 'future_jwt' : 'invalid_jwt' }
    }
  }

  return {
    authenticate (authorization) {
      if (authorization === undefined || authorization === '') return { failure: 'missing_token' }
      if (authorization.length > MAX_TOKEN_LENGTH + 16) return { failure: 'malformed_header' }
      const token = BEARER.exec(authorization)?.[1]
      if (token === undefined) return { failure: 'malformed_header' }
      const remembered = verified.get(token, Date.now())
      if (remembered !== undefined) return remembered
      const key = matchKey(token)
      if (key !== undefined) return key
      if (jwt !== undefined && JWT_SHAPE.test(token)) return verifyJwt(token, jwt)
      return { failure: 'unknown_key' }
    }
  }
}
