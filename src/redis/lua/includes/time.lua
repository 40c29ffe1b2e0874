-- Time and numbers as every script writes them. Included with `-- @include "time"`.

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

-- An integer as a string without exponent or decimals (Lua's tostring gives 1.7e+12 for large numbers).
-- The run's instant, which a write stores and announces several times, is formatted once: sprintf is
-- the dearest step of Lua's number-to-text (~0.2 µs a call in Redis 7.0).
local NOW_TEXT
local function int_str(n)
  if n ~= NOW then return string.format('%d', n) end
  if not NOW_TEXT then NOW_TEXT = string.format('%d', n) end
  return NOW_TEXT
end
