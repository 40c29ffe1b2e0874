-- Reads what progress needs; slides the session's expiry.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any)
-- Returns: 'version,total_steps,progress_updated_at,steps_saved,' (progress_packed) or {E_SESSION_NOT_FOUND}
-- @include "steps"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
slide(s, now_ms())
return progress_packed(s)
