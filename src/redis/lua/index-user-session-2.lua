-- Adds a session to its user's index and prunes entries whose deadline has passed, so the index
-- never grows without bound. Both keys share the user's hash tag (one slot).
-- KEYS: 1 user sessions zset (score: created_at ms), 2 user session deadlines zset (score: latest possible expiry ms)
-- ARGV: 1 session id, 2 created_at ms, 3 deadline ms
-- Returns: number of pruned entries
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
for i = 1, #stale do
  redis.call('ZREM', KEYS[1], stale[i])
  redis.call('ZREM', KEYS[2], stale[i])
end
if ARGV[1] ~= '' then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('ZADD', KEYS[2], 'GT', ARGV[3], ARGV[1])
  redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
end
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if #last == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
else
  redis.call('PEXPIREAT', KEYS[1], last[2])
  redis.call('PEXPIREAT', KEYS[2], last[2])
end
return #stale
