-- Reads everything of one session for a backup (contract §9 export), at one instant: the session hash,
-- every key under it, and the server time, so the exported remaining TTLs are exact.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: none
-- Returns: {0}  gone, or expired (a backup carries live sessions only)
--          {1, session JSON, steps, narrative (flat), scenes, choices, messages, events,
--           finalized result ('' for none), idempotency records (flat), now ms}
-- @include "session"

local s = load_session('')
if not s then return { 0 } end
return {
  1, session_json(s),
  redis.call('LRANGE', KEYS[K_STEPS], 0, -1),
  redis.call('HGETALL', KEYS[K_NARRATIVE]),
  redis.call('LRANGE', KEYS[K_SCENES], 0, -1),
  redis.call('LRANGE', KEYS[K_CHOICES], 0, -1),
  redis.call('LRANGE', KEYS[K_MESSAGES], 0, -1),
  redis.call('LRANGE', KEYS[K_EVENTS], 0, -1),
  redis.call('GET', KEYS[K_FINALIZED]) or '',
  redis.call('HGETALL', KEYS[K_IDEMPOTENCY]),
  now_ms()
}
