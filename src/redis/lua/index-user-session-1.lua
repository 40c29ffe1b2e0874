-- Adds a session to its user's index (score: created_at), and keeps the index alive at least until
-- `keep_until` (the latest moment the session can still exist). Entries of sessions that are gone are
-- removed by the expiry sweep and by listings.
-- KEYS: 1 the user's sessions zset
-- ARGV: 1 session id, 2 created_at (ms), 3 keep_until (ms), 4 'NX' to keep the score of an entry already
--       there (an import over live sessions changes nothing), else ''
-- Returns: {0}
-- @include "time"

if ARGV[4] == 'NX' then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
local keep_until = tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ttl < keep_until - now_ms() then redis.call('PEXPIREAT', KEYS[1], keep_until) end
return { 0 }
