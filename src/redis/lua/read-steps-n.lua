-- Reads one page of saved steps in step order, with what progress needs; slides the expiry.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 only steps after this number (0 = from the start), 3 page size
-- Returns: {0, version, total_steps, progress_updated_at, steps_saved, {n, stored step, …}, more (0|1)}
--          or {E_SESSION_NOT_FOUND}
-- @include "steps"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
slide(s, now_ms())

local after, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local page, found = {}, 0
local stored = redis.call('LRANGE', KEYS[K_STEPS], after, -1)
for i = 1, #stored do
  if stored[i] ~= '' then
    found = found + 1
    if found > limit then return progress_reply(s, page, 1) end
    page[#page + 1] = int_str(after + i)
    page[#page + 1] = stored[i]
  end
end
return progress_reply(s, page, 0)
