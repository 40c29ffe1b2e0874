-- First half of finalize: reads everything the Finalized result is built from, or returns the stored
-- result when the session is already finalized. The second half (complete-finalize) commits only if
-- the version is still the one read here, so reading and completing act as one atomic change.
-- Publishing (stream append, user index) follows a completion outside the slot; a finalize call on an
-- already finalized session whose publishing never finished (publisher died) takes over the publish
-- lease once it has lapsed, and publishes again.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if_match ('' = none), 3 publish lease (ms)
-- Returns: {0, flat session, flat steps hash, flat narrative hash, now}  ready to finalize
--          {1, Finalized JSON, 1|0}  already finalized; 1: the caller now holds the publish lease
--          or {-1} | {-2, version} | {-3, state}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
local now = now_ms()

if s.state == 'completed' then
  local stored = redis.call('GET', KEYS[K_FINALIZED])
  if not stored then return { E_FINALIZED } end
  local claimed = 0
  if s.finalized_published ~= '1' and tonumber(s.finalized_publish_lease or '0') <= now then
    redis.call('HSET', KEYS[K_SESSION], 'finalized_publish_lease', int_str(now + tonumber(ARGV[3])))
    claimed = 1
  end
  return { 1, stored, claimed }
end

local refusal = write_refusal(s, ARGV[2])
if refusal then return refusal end
return { 0, flatten(s), redis.call('HGETALL', KEYS[K_STEPS]), redis.call('HGETALL', KEYS[K_NARRATIVE]), int_str(now) }
