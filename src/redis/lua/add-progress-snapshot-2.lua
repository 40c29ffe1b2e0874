-- Adds a user progress snapshot, prunes snapshots older than the retention, and renews both keys'
-- TTL to the retention. Idempotent by snapshot id. Both keys share the user's hash tag (one slot).
-- KEYS: 1 snapshot index zset (score: created_at ms, member: id), 2 snapshot documents hash (id → JSON)
-- ARGV: 1 snapshot id, 2 the snapshot's other fields (JSON object), 3 retention ms, 4 document schema_version
-- Returns: {0, snapshot} added, {1, snapshot} this id was added before (nothing changed)
-- @include "time"

local replayed = redis.call('HGET', KEYS[2], ARGV[1])
if replayed then return { 1, replayed } end

local now = now_ms()
local retention = tonumber(ARGV[3])
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. int_str(now - retention))
for i = 1, #stale do
  redis.call('ZREM', KEYS[1], stale[i])
  redis.call('HDEL', KEYS[2], stale[i])
end
local doc = '{"id":"' .. ARGV[1] .. '","schema_version":' .. ARGV[4] .. ',"created_at":' .. int_str(now) ..
  ',' .. string.sub(ARGV[2], 2)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], doc)
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('PEXPIRE', KEYS[2], retention)
return { 0, doc }
