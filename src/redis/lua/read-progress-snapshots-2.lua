-- One page of a user's progress snapshots, newest first. Snapshots older than the retention are
-- left out (the next write deletes them).
-- KEYS: 1 snapshot index zset (score: created_at ms, member: id), 2 snapshot documents hash
-- ARGV: 1 retention ms, 2 page size, 3 after this created_at ms ('' = from the newest), 4 and this snapshot id
-- Returns: {0, {snapshot …}, more (1 when snapshots follow the page)}
-- @include "time"
-- @include "page"

local oldest = int_str(now_ms() - tonumber(ARGV[1]))
local limit = tonumber(ARGV[2])
local ids = {}
if ARGV[3] == '' then
  ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', oldest, 'LIMIT', 0, limit + 1)
else
  -- Newest first is score descending, then id descending among equal scores: skip the position's
  -- own score up to and including its id.
  local at = ARGV[3]
  local ties = redis.call('ZCOUNT', KEYS[1], at, at)
  local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], at, oldest, 'WITHSCORES', 'LIMIT', 0, limit + 1 + ties)
  for i = 1, #rows, 2 do
    if not (tonumber(rows[i + 1]) == tonumber(at) and rows[i] >= ARGV[4]) then
      ids[#ids + 1] = rows[i]
    end
  end
end
local more
ids, more = take_page(ids, limit)
if #ids == 0 then return { 0, {}, 0 } end
return { 0, redis.call('HMGET', KEYS[2], unpack(ids)), more }
