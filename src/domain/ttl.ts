import type { SessionKind } from './session-state.js'

export interface TtlSettings {
  sessionTtlSeconds: number
  onboardingTtlSeconds: number
}

/** The sliding TTL a new session gets when the request does not name one (contract §3). */
export function defaultTtlSeconds (kind: SessionKind, settings: TtlSettings): number {
  return kind === 'onboarding' ? settings.onboardingTtlSeconds : settings.sessionTtlSeconds
}
