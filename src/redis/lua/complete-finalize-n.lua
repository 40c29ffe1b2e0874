-- Second half of finalize: completes the session only if its version is still the one prepare-finalize
-- read (compare-and-set), so the stored result reflects exactly the committed state. Sets state
-- completed, completed_at, the finalized result, the retention on every key (sliding stops: slide()
-- skips finalized sessions), the session.finalized event, and gives the caller the publish lease.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 expected version, 3 finalized_at (ms), 4 retention (ms),
--       5 Finalized JSON, 6 the session.finalized event's values (see encode_event), 7 publish lease (ms)
-- Returns: {0}                   completed by this call; the caller holds the publish lease
--          {1, stored Finalized} finalized by another call first
--          or {E_STALE, current_version} the session changed since it was read (read again, retry)
--          | {E_SESSION_NOT_FOUND}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if s.state == 'completed' then return { 1, redis.call('GET', KEYS[K_FINALIZED]) } end
if s.version ~= ARGV[2] then return { E_STALE, tonumber(s.version) } end

local finalized_at = tonumber(ARGV[3])
move_live_state(s, s.state, 'completed')
s.state = 'completed'
s.completed_at = int_str(finalized_at)
redis.call('HSET', KEYS[K_SESSION], 'state', s.state, 'completed_at', s.completed_at,
  'finalized_publish_lease', int_str(now_ms() + tonumber(ARGV[7])))
redis.call('SET', KEYS[K_FINALIZED], ARGV[5])
wrote(s, K_FINALIZED) -- SET leaves the key without a TTL: always set it
set_expiry(s, finalized_at + tonumber(ARGV[4]), finalized_at)
commit(s, finalized_at, { { EV_SESSION_FINALIZED, ARGV[6] } })
return { 0 }
