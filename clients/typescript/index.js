// The sessiond client: openapi-fetch over the types generated from openapi.yaml (schema.d.ts), with
// the bearer token on every request. Types: index.d.ts.
import createClient from 'openapi-fetch'

/** A client for the sessiond deployment at `baseUrl`; `token` is a string or a function returning one. */
export function createSessiondClient ({ token, ...options } = {}) {
  const client = createClient(options)
  if (token !== undefined) {
    client.use({
      async onRequest ({ request }) {
        const value = typeof token === 'function' ? await token() : token
        request.headers.set('authorization', `Bearer ${value}`)
        return request
      }
    })
  }
  return client
}

/** True for an RFC 9457 problem document as sessiond sends it. */
export function isProblem (value) {
  return typeof value === 'object' && value !== null &&
    typeof value.code === 'string' && typeof value.status === 'number' && typeof value.type === 'string'
}

/** The `if-match` value that changes only this session version. */
export function ifMatch (version) {
  return `"${version}"`
}
