-- Appends one entry to a day's audit trail and renews the trail's retention.
-- KEYS: 1 the day's audit stream (global:…:audit:{YYYY-MM-DD}:v1)
-- ARGV: 1 retention in seconds, 2 principal, 3 action, 4 status, 5 session id ('' for none), 6 request id
-- Returns: the entry's stream id ("<ms>-<seq>", Redis time)
local id = redis.call('XADD', KEYS[1], '*',
  'principal', ARGV[2], 'action', ARGV[3], 'status', ARGV[4], 'session_id', ARGV[5], 'request_id', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return id
