// Bearer credentials → who is calling. Pure: no I/O, no Fastify. API keys are compared in constant
// time (both sides hashed first, so neither the content nor the length of a key leaks through timing);
// JWTs are verified with jose against the configured secret or public key, `exp` required.
import { createHash, timingSafeEqual } from 'node:crypto'
import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey, type JWTHeaderParameters } from 'jose'
import { publicKeyAlgorithm, type Config } from '../config.js'
import { UserId } from '../../schemas/common.js'
import { ANY_OWNER, type Access } from './access.js'
import type { Principal } from './principal.js'

export interface Authenticated { principal: Principal, access: Access }

/** Why a request has no principal; the reason goes to the debug log, never the token. */
export type AuthFailure = 'missing_token' | 'malformed_header' | 'unknown_key' | 'invalid_jwt' | 'expired_jwt' | 'invalid_subject'

export type AuthResult = Authenticated | { failure: AuthFailure }

export interface Authenticator {
  authenticate: (authorization: string | undefined) => Promise<AuthResult>
}

/** Seconds of clock skew tolerated on exp / nbf / iat. */
export const JWT_CLOCK_TOLERANCE_S = 5
/** Longer bearer values are refused before any work is done on them. */
export const MAX_TOKEN_LENGTH = 8192

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

interface JwtVerifier { algorithms: string[], keyFor: (header: JWTHeaderParameters) => Uint8Array | CryptoKey }

async function jwtVerifier (config: Config['auth']): Promise<JwtVerifier | undefined> {
  const secret = config.jwtSecret === undefined ? undefined : new TextEncoder().encode(config.jwtSecret)
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

export async function createAuthenticator (config: Config['auth']): Promise<Authenticator> {
  const keys = keyEntries(config)
  const jwt = await jwtVerifier(config)

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
      const sub = payload.sub
      // An empty sub would read as "any owner" to the session scripts: refuse anything not a user id.
      if (typeof sub !== 'string' || !SUBJECT.test(sub)) return { failure: 'invalid_subject' }
      return { principal: { kind: 'user', id: sub }, access: { kind: 'user', userId: sub } }
    } catch (err) {
      return { failure: err instanceof joseErrors.JWTExpired ? 'expired_jwt' : 'invalid_jwt' }
    }
  }

  return {
    async authenticate (authorization) {
      if (authorization === undefined || authorization === '') return { failure: 'missing_token' }
      if (authorization.length > MAX_TOKEN_LENGTH + 16) return { failure: 'malformed_header' }
      const token = BEARER.exec(authorization)?.[1]
      if (token === undefined) return { failure: 'malformed_header' }
      const key = matchKey(token)
      if (key !== undefined) return key
      if (jwt !== undefined && JWT_SHAPE.test(token)) return await verifyJwt(token, jwt)
      return { failure: 'unknown_key' }
    }
  }
}
