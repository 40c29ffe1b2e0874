-- Stores the response of a finished request under its Idempotency-Key (only while the record lives,
-- so no key is ever left without a TTL).
-- KEYS: 1 the key's record hash
-- ARGV: 1 request fingerprint, 2 response (JSON), 3 keep-until time in ms ('' for none): the record expires
--       then when that is sooner than its own expiry (a create's record never outlives what it created)
-- Returns: {1} stored, {0} record gone or taken by another request
-- @include "time"

local fingerprint = redis.call('HGET', KEYS[1], 'fingerprint')
if fingerprint ~= ARGV[1] then return { 0 } end
redis.call('HSET', KEYS[1], 'response', ARGV[2])
if ARGV[3] ~= '' then
  local left = tonumber(ARGV[3]) - now_ms()
  local ttl = redis.call('PTTL', KEYS[1])
  if left <= 0 then redis.call('DEL', KEYS[1]) elseif ttl < 0 or left < ttl then redis.call('PEXPIRE', KEYS[1], left) end
end
return { 1 }
