-- Stores (replaces) one narrative context. Its expiry is now + ttl, capped at the session's expiry
-- after this write slides it; a later slide of the session does not extend the context.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 context_type, 4 data (JSON object), 5 ttl_seconds
-- Returns: {0, context JSON, version} or {-1} | {-2, current_version} | {-3, state} | {-4}
-- @include "session"
-- @include "narrative"

local s, err = guard_write(ARGV[1], ARGV[2])
if not s then return err end
local now = now_ms()
live_contexts(now, true)
-- Where commit() below slides the session to (guard_write has ruled out a finalized session).
local session_expires_at = math.min(now + tonumber(s.ttl_seconds) * 1000, tonumber(s.absolute_expires_at))
local expires_at = math.min(now + tonumber(ARGV[5]) * 1000, session_expires_at)
local raw = '{"expires_at":' .. int_str(expires_at) .. ',"updated_at":' .. int_str(now) .. ',"data":' .. ARGV[4] .. '}'
redis.call('HSET', KEYS[K_NARRATIVE], ARGV[3], raw)
commit(s, now, 'narrative.updated', '{"context_type":"' .. ARGV[3] .. '","action":"stored","expires_at":' .. int_str(expires_at) .. '}')
return { 0, raw, tonumber(s.version) }
