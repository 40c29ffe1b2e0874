-- Adds one batch of counts to a UTC day's stats hash (src/repositories/stats-recorder.ts) and keeps the
-- hash until `keep_until`.
-- KEYS: 1 the day's stats hash, keys.stats(date)
-- ARGV: 1 keep_until (ms), then field, increment pairs (created, finalized, expired, deleted)
-- Returns: {0}
for i = 2, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return { 0 }
