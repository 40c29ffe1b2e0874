-- Time and numbers as every script writes them. Included with `-- @include "time"`.

-- An integer as a string without exponent or decimals (Lua's tostring gives 1.7e+12 for large numbers).
local function int_str(n)
  return string.format('%d', n)
end

-- Milliseconds since the epoch, from the Redis server's clock (the clock that enforces expiry).
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
