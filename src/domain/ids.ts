import { randomSlice } from './random.js'

/** 144 bits from the CSPRNG, base64url: 24 URL-safe characters. A client-supplied id is never used. */
export function newId (): string {
  return randomSlice(18).toString('base64url')
}
