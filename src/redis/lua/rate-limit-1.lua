-- Adds a batch of requests counted by one instance to a shared fixed-window counter.
-- KEYS: 1 the counter of one subject for one window (global:…:ratelimit:{digest}:v2:<window>)
-- ARGV: 1 requests to add (≥ 0), 2 the counter's TTL in ms (its window: it dies once the window is over)
-- Returns: the number of requests counted in this window by every instance
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
-- Also repairs a counter that lost its TTL: no key is ever left without one.
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
