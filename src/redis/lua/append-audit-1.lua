-- Appends a batch of entries to a day's audit trail and renews the trail's retention.
-- KEYS: 1 the day's audit stream (global:…:audit:{YYYY-MM-DD}:v2)
-- ARGV: 1 retention in seconds, then 6 values per entry: at (ms), principal, action, status,
--       session id ('' for none), request id
-- Returns: the number of entries appended
local n = 0
for i = 2, #ARGV, 6 do
  redis.call('XADD', KEYS[1], '*', 'at', ARGV[i], 'principal', ARGV[i + 1], 'action', ARGV[i + 2],
    'status', ARGV[i + 3], 'session_id', ARGV[i + 4], 'request_id', ARGV[i + 5])
  n = n + 1
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return n
