-- Rewrites one hash field (a progress snapshot document, a global Idempotency-Key response) under the
-- current key (`npx sessiond rotate-keys`): a compare-and-set on the value it was read with.
-- KEYS: 1 the hash
-- ARGV: 1 field, 2 the value it was read with, 3 the value to write
-- Returns: {0} rewritten | {1} changed or gone since it was read

if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return { 1 } end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return { 0 }
