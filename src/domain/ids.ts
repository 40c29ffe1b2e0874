import { randomBytes } from 'node:crypto'

/** 144 bits from the CSPRNG, base64url: 24 URL-safe characters. A client-supplied id is never used. */
export function newId (): string {
  return randomBytes(18).toString('base64url')
}
