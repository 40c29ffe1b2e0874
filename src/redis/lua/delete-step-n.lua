-- Removes step n and records the change (version + 1, event, expiry). A step that is not saved is
-- E_STEP_NOT_FOUND and changes nothing.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 step number
-- Returns: 'version,total_steps,progress_updated_at,steps_saved,' (progress_packed)
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
--          | {E_STEP_NOT_FOUND} | {E_STEP_OUT_OF_RANGE, total_steps}
-- @include "steps"

local s, err = guard_write(ARGV[1], ARGV[2], STEP_FIELDS)
if not s then return err end
local n, range_err = step_number(s, ARGV[3])
if not n then return range_err end
if not step_saved(s, n) then return { E_STEP_NOT_FOUND } end

redis.call('LSET', KEYS[K_STEPS], n - 1, '')
-- Unsaved steps at the end take no room: the list ends with the highest saved step.
while redis.call('LINDEX', KEYS[K_STEPS], -1) == '' do redis.call('RPOP', KEYS[K_STEPS]) end
local now = now_ms()
mark_step(s, n, false)
commit(s, now, { { EV_STEP_DELETED, int_str(n) } }, { 'steps_saved', s.steps_saved, 'progress_updated_at', int_str(now) })
return progress_packed(s)
