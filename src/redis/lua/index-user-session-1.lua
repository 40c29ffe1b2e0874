-- Adds a session to its user's index (score: created_at), and keeps the index alive at least until
-- `keep_until` (the latest moment the session can still exist). Entries of sessions that are gone are
-- removed by the expiry sweep and by listings. Where Redis is one server, the create script files a new
-- session itself (docs/decisions/0721); this is how a Cluster's create, an import and a
-- finalize (which keeps the entry for the retention) file one.
-- KEYS: 1 the user's sessions zset
-- ARGV: 1 session id, 2 created_at (ms), 3 keep_until (ms), 4 'NX' to keep the score of an entry already
--       there (an import over live sessions changes nothing), else ''
-- Returns: {0}
-- @include "user-index"

file_in_user_index(KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == 'NX')
return { 0 }
