// The performance targets of issue "Step 7 — As fast as a careful hand-written service", stated once.
// The harness reports each as ✓ or ✗; it never fails a run because of one.

export interface ScenarioTarget {
  /** sessiond req/s ÷ its peer's req/s in the same round (median over rounds) must be at least this. */
  minRpsVsPeer?: number
  /** sessiond server CPU µs/request ÷ its peer's (median over rounds) must be at most this. */
  maxCpuVsPeer?: number
  /** sessiond p99 ÷ its peer's p99 in the same round (median over rounds) must be at most this. */
  maxP99VsPeer?: number
}

const P99_VS_PEER = 2

export const SCENARIO_TARGETS: Record<string, ScenarioTarget> = {
  'get-session': { minRpsVsPeer: 1.0, maxCpuVsPeer: 1.0, maxP99VsPeer: P99_VS_PEER },
  // The read cache must pay for itself: with it on, GET session beats its peer by a margin.
  'get-session-lru': { minRpsVsPeer: 1.2, maxCpuVsPeer: 0.8, maxP99VsPeer: P99_VS_PEER },
  'get-session-notouch': { maxCpuVsPeer: 1.0, maxP99VsPeer: P99_VS_PEER },
  'put-step': { minRpsVsPeer: 0.8, maxCpuVsPeer: 1.3, maxP99VsPeer: P99_VS_PEER },
  'post-message': { minRpsVsPeer: 0.8, maxCpuVsPeer: 1.3, maxP99VsPeer: P99_VS_PEER },
  'post-session': { minRpsVsPeer: 0.7, maxCpuVsPeer: 1.3, maxP99VsPeer: P99_VS_PEER },
  'patch-session': { minRpsVsPeer: 0.7, maxCpuVsPeer: 1.3, maxP99VsPeer: P99_VS_PEER },
  'get-user-sessions': { minRpsVsPeer: 0.4, maxP99VsPeer: P99_VS_PEER },
  'get-summary': { maxP99VsPeer: P99_VS_PEER }
}

/** sessiond's peak RSS (VmHWM) during any measurement must stay at or below this. */
export const MAX_SESSIOND_RSS_BYTES = 150 * 1024 * 1024

/** `--memory`: Redis bytes per session (used_memory delta ÷ sessions) must stay at or below these. */
export const MAX_BYTES_PER_SESSION: Record<string, number> = {
  plain: 1.5 * 1024,
  onboarding: 8 * 1024,
  chat: 7 * 1024
}

/** `--scale`: cost at the large size ÷ cost at the small size must stay at or below this. */
export const MAX_SCALE_RATIO = 1.2
