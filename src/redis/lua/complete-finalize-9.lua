-- Second half of finalize: completes the session only if its version is still the one prepare-finalize
-- read (compare-and-set), so the stored result reflects exactly the committed state. Sets state
-- completed, completed_at, the finalized result, retention on every key (sliding stops: slide() skips
-- sessions with completed_at), the session.finalized event, and gives the caller the publish lease.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 expected version, 3 finalized_at (ms), 4 retention (ms),
--       5 Finalized JSON, 6 event data (JSON), 7 publish lease (ms)
-- Returns: {0}               completed by this call; the caller holds the publish lease
--          {1, Finalized JSON}  finalized by another call first: its stored result
--          {2}               the session changed since it was read: read again and retry
--          or {-1}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
if s.state == 'completed' then return { 1, redis.call('GET', KEYS[K_FINALIZED]) } end
if s.version ~= ARGV[2] then return { 2 } end

local finalized_at = tonumber(ARGV[3])
local retained_until = finalized_at + tonumber(ARGV[4])
s.state = 'completed'
s.completed_at = int_str(finalized_at)
s.expires_at = int_str(retained_until)
redis.call('HSET', KEYS[K_SESSION], 'state', s.state, 'completed_at', s.completed_at, 'expires_at', s.expires_at,
  'finalized_publish_lease', int_str(now_ms() + tonumber(ARGV[7])))
redis.call('SET', KEYS[K_FINALIZED], ARGV[5])
commit(s, finalized_at, 'session.finalized', ARGV[6])
expire_all(retained_until)
return { 0 }
