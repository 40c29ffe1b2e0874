// Object-level authorization, as data: whose sessions a caller may reach. Every repository method
// that touches a session takes an Access, and the Lua scripts refuse a session of anyone else exactly
// as they refuse a missing one (no existence oracle).

export type Access =
  | { readonly kind: 'any' } // service and admin API keys, open development mode
  | { readonly kind: 'user', readonly userId: string } // an end-user JWT: only sessions whose user_id is its sub

export const ANY_OWNER: Access = { kind: 'any' }

/** The `owner` argument of the session scripts: '' for any owner. */
export function ownerArg (access: Access): string {
  return access.kind === 'user' ? access.userId : ''
}

export function mayActForUser (access: Access, userId: string): boolean {
  return access.kind === 'any' || access.userId === userId
}
