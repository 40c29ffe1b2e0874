/** Who is calling: an API key (by name), an end user (by JWT sub), or nobody yet. */
export interface Principal {
  readonly kind: 'service' | 'admin' | 'user' | 'anonymous'
  /** Key name, user sub, or client IP: what rate limits, audit and idempotency are keyed by. */
  readonly id: string
}

/** "kind:id" — how rate limits, audit entries and idempotency records name a principal. */
export function principalLabel (principal: Principal): string {
  return `${principal.kind}:${principal.id}`
}
