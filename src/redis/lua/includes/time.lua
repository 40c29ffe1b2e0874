-- Time and numbers as every script writes them. Included with `-- @include "time"`.

-- An integer as a string without exponent or decimals (Lua's tostring gives 1.7e+12 for large numbers).
local function int_str(n)
  return string.format('%d', n)
end

-- Milliseconds since the epoch, from the Redis server's clock (the clock that enforces expiry): read
-- once per script run, so every decision of one run uses the same instant.
local NOW
local function now_ms()
  if not NOW then
    local t = redis.call('TIME')
    NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  return NOW
end
