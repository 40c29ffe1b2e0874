-- The expiry sweep's claim on one session found due in its slot's expiry index: exactly one call
-- answers "expired" for a session (it removes the session in the same run).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 the session id (its hash may be gone already)
-- Returns: {0}                                    gone already (Redis expired it): dropped from the index
--          {1, expires_at}                        not due (it slid since it was filed): filed again
--          {2, user_id, kind, state, created_at, idempotency_digest ('' for none)}
--                                                 expired now: removed, session.expired announced;
--                                                 the caller deletes the create's global record
-- @include "session"

local now = now_ms()
local s = load_session('', true)
if not s then
  redis.call('ZREM', KEYS[K_EXPIRY], ARGV[1])
  return { 0 }
end
if tonumber(s.expires_at) > now then
  redis.call('ZADD', KEYS[K_EXPIRY], s.expires_at, s.id)
  return { 1, s.expires_at }
end
remove_session(s, now, EV_SESSION_EXPIRED)
return { 2, s.user_id, s.kind, s.state, s.created_at, s.idempotency_digest or '' }
