-- Counts one request against a fixed rate-limit window.
-- KEYS: 1 the counter of one principal for one window (global:…:ratelimit:{digest}:v1:<window>)
-- ARGV: 1 the counter's TTL in ms (the window length: the key dies once its window is over)
-- Returns: the number of requests counted in this window, this one included
local count = redis.call('INCR', KEYS[1])
-- Also repairs a counter that lost its TTL: no key is ever left without one.
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
