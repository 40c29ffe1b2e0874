-- Shared by the step scripts. Included with `-- @include "steps"` (brings in "session" too).
-- Steps live in a list: element n is step n ('' when not saved), stored as '<saved_at_ms>|<data JSON>'.
-- Which steps are saved is also kept in the session field steps_saved, a hex bitmap (bit n-1 = step n),
-- so progress never needs the step data. A step script that answers step data answers
-- {0, version, total_steps, progress_updated_at ('' if never), steps_saved, …} (progress_reply); one
-- that answers only progress answers those values packed into one string (progress_packed).
-- @include "session"

local HEX = '0123456789abcdef'

-- The session fields the step helpers read, for guard_write.
local STEP_FIELDS = { 'total_steps', 'steps_saved', 'progress_updated_at' }

-- The step number of `arg` when it lies in 1..total_steps, else nil and the error reply.
local function step_number(s, arg)
  local n = tonumber(arg)
  local total = tonumber(s.total_steps)
  if n == nil or n < 1 or n > total or n ~= math.floor(n) then return nil, { E_STEP_OUT_OF_RANGE, total } end
  return n
end

local function step_saved(s, n)
  local i = math.floor((n - 1) / 4) + 1
  local nibble = tonumber(string.sub(s.steps_saved or '', i, i), 16) or 0
  return bit.band(nibble, bit.lshift(1, (n - 1) % 4)) ~= 0
end

-- Marks step n saved (or not) in s.steps_saved.
local function mark_step(s, n, saved)
  local bits = s.steps_saved or ''
  local i = math.floor((n - 1) / 4) + 1
  while #bits < i do bits = bits .. '0' end
  local nibble = tonumber(string.sub(bits, i, i), 16)
  local mask = bit.lshift(1, (n - 1) % 4)
  if saved then nibble = bit.bor(nibble, mask) else nibble = bit.band(nibble, bit.bnot(mask)) end
  s.steps_saved = string.sub(bits, 1, i - 1) .. string.sub(HEX, nibble + 1, nibble + 1) .. string.sub(bits, i + 1)
end

-- 'version,total_steps,progress_updated_at,steps_saved,extra' (extra: a number, or ''): one bulk string,
-- which the client decodes for a fraction of what an array of five costs it (0720).
local function progress_packed(s, extra)
  return s.version .. ',' .. s.total_steps .. ',' .. (s.progress_updated_at or '') .. ',' .. (s.steps_saved or '') .. ',' .. (extra or '')
end

-- {0, version, total_steps, progress_updated_at, steps_saved} followed by `extra` values.
local function progress_reply(s, ...)
  local reply = { 0, s.version, s.total_steps, s.progress_updated_at or '', s.steps_saved or '' }
  for _, v in ipairs({ ... }) do reply[#reply + 1] = v end
  return reply
end
