-- Appends a finalized result to the global stream of finalized sessions, capped in length, and renews
-- the stream's retention (each append pushes it out again, so an idle stream eventually expires).
-- KEYS: 1 the finalized stream (global:…:finalized:{stream}:v2)
-- ARGV: 1 approximate max length, 2 retention (ms), 3 session id, 4 finalized_at (RFC 3339), 5 Finalized JSON
-- Returns: the new entry id
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
  'session_id', ARGV[3], 'finalized_at', ARGV[4], 'result', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return id
