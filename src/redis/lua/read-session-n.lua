-- Reads a session, sliding its expiry unless told not to (a read is not a change: no version bump).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 touch ('1' slides the expiry, '0' does not),
--       3 the version the caller holds ('' = none: always answer the session)
-- Returns: {0, packed session}, {2, version} the caller's version is current, or {E_SESSION_NOT_FOUND}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if ARGV[2] == '1' then slide(s, now_ms()) end
if ARGV[3] == s.version then return { 2, tonumber(s.version) } end
return { 0, session_packed(s) }
