-- Reads the stored Finalized result of a session (GET /v1/sessions/{id}/result). A read: nothing moves
-- (a finalized session keeps its retention and does not slide).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any)
-- Returns: {0, stored Finalized, session version}
--          or {E_SESSION_NOT_FOUND} | {E_NOT_FOUND} the session is not finalized
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if s.state ~= 'completed' then return { E_NOT_FOUND } end
local stored = redis.call('GET', KEYS[K_FINALIZED])
if not stored then return { E_NOT_FOUND } end
return { 0, stored, tonumber(s.version) }
