-- Reads one page of saved steps in step order, with the step set for progress; slides the expiry.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 only steps after this number (0 = from the start), 3 page size
-- Returns: {0, version, total_steps, progress_updated_at, {step numbers}, {n, stored JSON, …}, has_more (0|1)}
--          or {-1}
-- @include "steps"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
slide(s, now_ms())

local after, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local numbers = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[K_STEPS])) do
  local n = tonumber(field)
  if n > after then numbers[#numbers + 1] = n end
end
table.sort(numbers)

local page = {}
for i = 1, math.min(limit, #numbers) do
  local field = int_str(numbers[i])
  page[#page + 1] = field
  page[#page + 1] = redis.call('HGET', KEYS[K_STEPS], field)
end
return progress_reply(s, page, #numbers > limit and 1 or 0)
