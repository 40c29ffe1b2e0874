-- Deletes a session and everything under it, and announces session.deleted on its channel.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none)
-- Returns: {0, user_id, idempotency_digest ('' for none: the global record the caller deletes), completed_at ('' if not finalized)}
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, current_version}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if ARGV[2] ~= '' and ARGV[2] ~= s.version then return { E_VERSION_CONFLICT, tonumber(s.version) } end
remove_session(s, now_ms(), EV_SESSION_DELETED)
return { 0, s.user_id, s.idempotency_digest or '', s.completed_at or '' }
