-- Reads everything the summary shows in one atomic read, sliding the session's expiry unless told not to.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 touch ('1' slides the expiry, '0' does not)
-- Returns: {0, packed session, {stored steps, '' for unsaved}, flat narrative, scenes count, choices count,
--           messages count, now ms} or {E_SESSION_NOT_FOUND}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
local now = now_ms()
if ARGV[2] == '1' then slide(s, now) end
return {
  0, session_packed(s),
  redis.call('LRANGE', KEYS[K_STEPS], 0, -1),
  redis.call('HGETALL', KEYS[K_NARRATIVE]),
  redis.call('LLEN', KEYS[K_SCENES]),
  redis.call('LLEN', KEYS[K_CHOICES]),
  redis.call('LLEN', KEYS[K_MESSAGES]),
  now
}
