-- Reads one step; slides the session's expiry (a read is not a change: no version bump).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 step number
-- Returns: {0, version, total_steps, progress_updated_at, steps_saved, stored step}
--          or {E_SESSION_NOT_FOUND} | {E_STEP_NOT_FOUND} | {E_STEP_OUT_OF_RANGE, total_steps}
-- @include "steps"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
local n, range_err = step_number(s, ARGV[2])
if not n then return range_err end
slide(s, now_ms())
if not step_saved(s, n) then return { E_STEP_NOT_FOUND } end
return progress_reply(s, redis.call('LINDEX', KEYS[K_STEPS], n - 1))
