-- Reads one step; slides the session's expiry (a read is not a change: no version bump).
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 step number
-- Returns: {0, version, total_steps, progress_updated_at, {step numbers}, stored step JSON}
--          or {-1} | {-5} | {-12, total_steps}
-- @include "steps"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
local n, range_err = step_number(s, ARGV[2])
if not n then return range_err end
slide(s, now_ms())
local stored = redis.call('HGET', KEYS[K_STEPS], int_str(n))
if not stored then return { -5 } end
return progress_reply(s, stored)
