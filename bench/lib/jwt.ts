// HS256 user tokens, signed the standard way (RFC 7519) with node:crypto, for sessiond and the peers.
import { createHmac } from 'node:crypto'

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url')

/** A token for user `sub` that expires in `ttlSeconds` (long enough to outlive any run). */
export function signUserToken (secret: string, sub: string, ttlSeconds = 86_400): string {
  const now = Math.floor(Date.now() / 1000)
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const payload = base64url(JSON.stringify({ sub, iat: now, exp: now + ttlSeconds }))
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}
