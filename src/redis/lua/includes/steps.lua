-- Shared by the step scripts. Included with `-- @include "steps"` (brings in "session" too).
-- Return code (mapped in src/redis/script-errors.ts):
--   -12 step number outside 1..total_steps: {-12, total_steps}
-- Every step script answers {0, version, total_steps, progress_updated_at ('' if never), {saved step numbers}, …}
-- so that progress is computed from the step set the same script run saw (exact under concurrency).
-- @include "session"

local E_STEP_RANGE = -12

-- The step number of ARGV[i] when it lies in 1..total_steps, else nil and the error reply.
local function step_number(s, arg)
  local n = tonumber(arg)
  local total = tonumber(s.total_steps)
  if n == nil or n < 1 or n > total or n ~= math.floor(n) then return nil, { E_STEP_RANGE, total } end
  return n
end

-- {0, version, total_steps, progress_updated_at, {step numbers}} followed by `extra` values.
local function progress_reply(s, ...)
  local reply = { 0, s.version, s.total_steps, s.progress_updated_at or '', redis.call('HKEYS', KEYS[K_STEPS]) }
  for _, v in ipairs({ ... }) do reply[#reply + 1] = v end
  return reply
end
