-- Saves (replaces) step n and records the change: the steps list, steps_saved, progress_updated_at,
-- version + 1, the event and the expiry, in one atomic run on the session's slot.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 step number, 4 data (JSON object)
-- Returns: 'version,total_steps,progress_updated_at,steps_saved,saved_at' (progress_packed)
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
--          | {E_STEP_OUT_OF_RANGE, total_steps}
-- @include "steps"

local s, err = guard_write(ARGV[1], ARGV[2], STEP_FIELDS)
if not s then return err end
local n, range_err = step_number(s, ARGV[3])
if not n then return range_err end

local now = now_ms()
local saved_at = int_str(now)
local value = saved_at .. '|' .. ARGV[4]
local length = redis.call('LLEN', KEYS[K_STEPS])
if n <= length then
  redis.call('LSET', KEYS[K_STEPS], n - 1, value)
  wrote(s, K_STEPS, false)
else
  local values = {}
  for i = length + 1, n - 1 do values[#values + 1] = '' end
  values[#values + 1] = value
  redis.call('RPUSH', KEYS[K_STEPS], unpack(values))
  wrote(s, K_STEPS, length == 0)
end
mark_step(s, n, true)
commit(s, now, { { EV_STEP_SAVED, int_str(n) } }, { 'steps_saved', s.steps_saved, 'progress_updated_at', saved_at })
return progress_packed(s, saved_at)
