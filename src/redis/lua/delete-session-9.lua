-- Deletes a session and everything under it.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any)
-- Returns: {0, user_id} or {-1}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
redis.call('DEL', unpack(KEYS))
return { 0, s.user_id }
