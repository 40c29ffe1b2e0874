-- Ends the publish lease of a finalized session: 'published' records that its result is in the
-- finalized stream (no later finalize call publishes it again); 'released' gives the lease up after a
-- failed publish so that the next finalize call retries at once. Writes only to an existing session.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 outcome ('published' | 'released')
-- Returns: {1} recorded, {0} the session is gone or not finalized
-- @include "session"

local s = load_session('')
if not s or s.state ~= 'completed' then return { 0 } end
if ARGV[1] == 'published' then
  redis.call('HSET', KEYS[K_SESSION], 'finalized_published', '1')
end
redis.call('HDEL', KEYS[K_SESSION], 'finalized_publish_lease')
return { 1 }
