-- Removes step n and records the change (version + 1, event, sliding expiry). A step that is not
-- saved is step_not_found and changes nothing.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if_match ('' = none), 3 step number, 4 event data (JSON)
-- Returns: {0, version, total_steps, progress_updated_at, {step numbers}}
--          or {-1} | {-2, version} | {-3, state} | {-4} | {-5} | {-12, total_steps}
-- @include "steps"

local s, err = guard_write(ARGV[1], ARGV[2])
if not s then return err end
local n, range_err = step_number(s, ARGV[3])
if not n then return range_err end

if redis.call('HDEL', KEYS[K_STEPS], int_str(n)) == 0 then return { -5 } end
local now = now_ms()
s.progress_updated_at = int_str(now)
redis.call('HSET', KEYS[K_SESSION], 'progress_updated_at', s.progress_updated_at)
commit(s, now, 'step.deleted', ARGV[4])
return progress_reply(s)
