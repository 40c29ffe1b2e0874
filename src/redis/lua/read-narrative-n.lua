-- Reads one live narrative context, or all of them. Slides the session's expiry (not the contexts').
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 context_type ('' = all)
-- Returns: {0, {context_type, stored context, …}, session expires_at ms, version}
--          or {E_NOT_FOUND} the one context asked for is absent or expired | {E_SESSION_NOT_FOUND}
-- @include "session"
-- @include "narrative"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
local now = now_ms()
slide(s, now)
if ARGV[2] == '' then return { 0, live_contexts(now, false), tonumber(s.expires_at), tonumber(s.version) } end
local raw = redis.call('HGET', KEYS[K_NARRATIVE], ARGV[2])
if not context_live(raw, now) then return { E_NOT_FOUND } end
return { 0, { ARGV[2], raw }, tonumber(s.expires_at), tonumber(s.version) }
