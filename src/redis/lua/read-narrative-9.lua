-- Reads one live narrative context, or all of them. Slides the session's expiry (not the contexts').
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 context_type ('' = all)
-- Returns: {0, {context_type, context JSON, …}, session expires_at ms}
--          {-6} the one context asked for is absent or expired; {-1}
-- @include "session"
-- @include "narrative"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
local now = now_ms()
slide(s, now)
if ARGV[2] == '' then return { 0, live_contexts(now, false), tonumber(s.expires_at) } end
local raw = redis.call('HGET', KEYS[K_NARRATIVE], ARGV[2])
if not context_live(raw, now) then return { -6 } end
return { 0, { ARGV[2], raw }, tonumber(s.expires_at) }
