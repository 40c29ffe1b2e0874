-- Stores the response of a finished request under its Idempotency-Key (only while the record lives,
-- so no key is ever left without a TTL).
-- KEYS: 1 the key's record hash
-- ARGV: 1 request fingerprint, 2 response (JSON)
-- Returns: {1} stored, {0} record gone or taken by another request
local fingerprint = redis.call('HGET', KEYS[1], 'fingerprint')
if fingerprint ~= ARGV[1] then return { 0 } end
redis.call('HSET', KEYS[1], 'response', ARGV[2])
return { 1 }
