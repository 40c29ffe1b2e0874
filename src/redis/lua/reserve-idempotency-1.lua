-- Reserves an Idempotency-Key for a request outside any session (creating a session, a progress
-- snapshot), or finds the earlier request that used it.
-- KEYS: 1 the key's record hash (global:…:idempotency:{digest}:v2)
-- ARGV: 1 request fingerprint, 2 resource id to reserve if the key is new, 3 record TTL in ms
-- Returns: {0, resource_id}            new key: do the work with this resource id
--          {1, resource_id, response}  finished before: replay the stored response
--          {2, resource_id}            seen, not finished (timed out, crashed, or in flight): do the work
--                                      again with the same resource id; the work is idempotent by id
--          {E_IDEMPOTENCY_KEY_REUSED}  the key was used with a different request
-- @include "constants"

local record = redis.call('HMGET', KEYS[1], 'fingerprint', 'resource_id', 'response')
if not record[1] then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'resource_id', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return { 0, ARGV[2] }
end
if record[1] ~= ARGV[1] then return { E_IDEMPOTENCY_KEY_REUSED } end
if record[3] then return { 1, record[2], record[3] } end
return { 2, record[2] }
