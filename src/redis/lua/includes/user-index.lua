-- Filing a session in its user's index (a sorted set, score created_at ms). Included with
-- `-- @include "user-index"`. The index lives until `keep_until` (ms), the latest moment one of its
-- sessions can still exist plus a margin, less at most USER_INDEX_EXTEND_SLACK_MS (half that margin):
-- it is extended only when it would die earlier, so a burst of creates extends it once. `nx` keeps the
-- score of an entry already there.
-- @include "time"

local function file_in_user_index(key, id, created_at, keep_until, nx)
  if nx then
    redis.call('ZADD', key, 'NX', created_at, id)
  else
    redis.call('ZADD', key, created_at, id)
  end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 or ttl < keep_until - now_ms() - USER_INDEX_EXTEND_SLACK_MS then redis.call('PEXPIREAT', key, keep_until) end
end
