-- Stores (replaces) one narrative context. Its expiry is now + ttl, capped at the session's expiry
-- after this write (which may slide it); a later slide of the session does not extend the context.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 context_type, 4 data (JSON object), 5 ttl_seconds
-- Returns: {0, stored context, version}
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
-- @include "session"
-- @include "narrative"

local s, err = guard_write(ARGV[1], ARGV[2], {})
if not s then return err end
local now = now_ms()
live_contexts(now, true)
commit(s, now, { { EV_NARRATIVE_UPDATED, '"stored",["' .. ARGV[3] .. '"]' } })
local expires_at = math.min(now + tonumber(ARGV[5]) * 1000, tonumber(s.expires_at))
local raw = '{"expires_at":' .. int_str(expires_at) .. ',"updated_at":' .. int_str(now) .. ',"data":' .. ARGV[4] .. '}'
redis.call('HSET', KEYS[K_NARRATIVE], ARGV[3], raw)
wrote(s, K_NARRATIVE)
return { 0, raw, tonumber(s.version) }
