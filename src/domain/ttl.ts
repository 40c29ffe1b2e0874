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

/**
 * A slot's shared keys (its expiry index and live counters) must outlive its latest session. When a
 * write finds them too short it gives them this much more than that session needs, so that the writes
 * of the next hour to the slot need not extend them again (two PEXPIREATs per create saved). They may
 * therefore outlive the slot's last session by up to this long: both are small, and the index's entries
 * of sessions that are gone are removed by the sweep.
 */
export const SLOT_KEYS_AHEAD_MS = 3_600_000

/** A session stays findable in its user's index until this long after the latest moment it can still exist. */
export const USER_INDEX_KEEP_MARGIN_MS = 60_000

/**
 * A write extends a user's index only when it would otherwise die more than this long before the moment
 * the write needs: a burst of creates by one user extends it once, not every time. Half the keep margin,
 * so the index still outlives every session it names.
 */
export const USER_INDEX_EXTEND_SLACK_MS = USER_INDEX_KEEP_MARGIN_MS / 2

/** How far behind now + ttl a session's expires_at may be after any request (the slide rule). */
export const slideLagMs = (ttlSeconds: number): number => Math.min(SLIDE_MAX_LAG_MS, ttlSeconds * 10)
