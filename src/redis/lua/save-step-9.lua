-- Saves (replaces) step n and records the change: steps hash, progress_updated_at, version + 1, event,
-- sliding expiry, in one atomic run on the session's slot.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if_match ('' = none), 3 step number, 4 data (JSON object), 5 event data (JSON)
-- Returns: {0, version, total_steps, progress_updated_at, {step numbers}, saved_at}
--          or {-1} | {-2, version} | {-3, state} | {-4} | {-12, total_steps}
-- @include "steps"

local s, err = guard_write(ARGV[1], ARGV[2])
if not s then return err end
local n, range_err = step_number(s, ARGV[3])
if not n then return range_err end

local now = now_ms()
local saved_at = int_str(now)
redis.call('HSET', KEYS[K_STEPS], int_str(n), '{"data":' .. ARGV[4] .. ',"saved_at":' .. saved_at .. '}')
s.progress_updated_at = saved_at
redis.call('HSET', KEYS[K_SESSION], 'progress_updated_at', saved_at)
commit(s, now, 'step.saved', ARGV[5])
return progress_reply(s, saved_at)
