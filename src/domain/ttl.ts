import type { SessionKind } from './session-state.js'

export interface TtlSettings {
  sessionTtlSeconds: number
  onboardingTtlSeconds: number
}

/** The sliding TTL a new session gets when the request does not name one (contract §3). */
export function defaultTtlSeconds (kind: SessionKind, settings: TtlSettings): number {
  return kind === 'onboarding' ? settings.onboardingTtlSeconds : settings.sessionTtlSeconds
}

/**
 * A read or write slides the expiry only when it would move it by at least 1 % of the TTL, and never
 * lets it lag by more than this (docs/decisions/0701): most reads write nothing.
 */
export const SLIDE_MAX_LAG_MS = 60_000

/** How far behind now + ttl a session's expires_at may be after any request (the slide rule). */
export const slideLagMs = (ttlSeconds: number): number => Math.min(SLIDE_MAX_LAG_MS, ttlSeconds * 10)
