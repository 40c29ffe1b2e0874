-- First half of finalize: reads everything the Finalized result is built from, or returns the stored
-- result of a session finalized before (taking over its publish lease when publishing never finished).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 publish lease (ms)
-- Returns: {0, packed session, {stored steps, '' for unsaved}, flat narrative, now ms}   not finalized yet
--          {1, stored Finalized, lease taken (0|1)}                                   finalized before
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
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
return { 0, session_packed(s), redis.call('LRANGE', KEYS[K_STEPS], 0, -1), redis.call('HGETALL', KEYS[K_NARRATIVE]), int_str(now) }
