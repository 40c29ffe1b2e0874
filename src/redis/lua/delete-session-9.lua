-- Deletes a session and everything under it.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none)
-- Returns: {0, user_id} or {-1} not found, {-2, current_version} if-match failed
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
if ARGV[2] ~= '' and ARGV[2] ~= s.version then return { E_VERSION, tonumber(s.version) } end
redis.call('DEL', unpack(KEYS))
return { 0, s.user_id }
