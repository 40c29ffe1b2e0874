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

/**
 * A session is expired from its expires_at on, but its keys live this much longer, so that the expiry
 * sweep can claim it (announce session.expired, count it, unindex it) before Redis deletes it
 * (docs/decisions/0712). When no instance sweeps for this long, Redis deletes it unannounced.
 */
export const EXPIRY_GRACE_MS = 300_000

/** How far behind now + ttl a session's expires_at may be after any request (the slide rule). */
export const slideLagMs = (ttlSeconds: number): number => Math.min(SLIDE_MAX_LAG_MS, ttlSeconds * 10)
