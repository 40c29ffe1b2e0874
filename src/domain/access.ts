// Object-level authorization, as data: whose sessions a caller may reach. Every repository method
// that touches a session takes an Access, and the Lua scripts refuse a session of anyone else exactly
// as they refuse a missing one (no existence oracle).

// An Access also carries how long its request may wait for Redis: the repositories pass `deadline` to
// every Redis call they make for it, so that a request needing several commands still ends within
// REDIS_COMMAND_TIMEOUT_MS + 250 ms (docs/decisions/0404). Work that outlives its request (an event
// stream's later reads) uses `unbounded(access)`.
export type Access = (
  | { readonly kind: 'any' } // service and admin API keys, open development mode
  | { readonly kind: 'user', readonly userId: string } // an end-user JWT: only sessions whose user_id is its sub
) & {
  /** When the request's Redis work must be over (performance.now() ms); unset: each command is bounded alone. */
  readonly deadline?: number
}

export const ANY_OWNER: Access = { kind: 'any' }

/** The same access, for a request whose Redis work must end by `deadline` (performance.now() ms). */
export function until (access: Access, deadline: number): Access {
  // Built field by field, not spread: this runs on every request, and a spread of a union is slow.
  return access.kind === 'user' ? { kind: 'user', userId: access.userId, deadline } : { kind: 'any', deadline }
}

/** The same access with no request deadline (long-lived work, background jobs). */
export function unbounded (access: Access): Access {
  if (access.deadline === undefined) return access
  const { deadline: _deadline, ...rest } = access
  return rest as Access
}

/** The `owner` argument of the session scripts: '' for any owner. */
export function ownerArg (access: Access): string {
  return access.kind === 'user' ? access.userId : ''
}

export function mayActForUser (access: Access, userId: string): boolean {
  return access.kind === 'any' || access.userId === userId
}
