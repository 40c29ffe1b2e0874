-- Rewrites the sealed content of one session under the current key (`npx sessiond rotate-keys`,
-- contract §13): a compare-and-set on the version it was read at, so a change made meanwhile is never
-- overwritten (the caller reads again). Not a change: the version, the events and the expiry stay.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 expected version, then six groups, each a count n and n pairs: session fields (field, value),
--       steps (list index from 0, value), narrative (context type, document), choices (index, entry),
--       messages (index, document), idempotency records (digest, record); then the finalized result
--       ('' = unchanged)
-- Returns: {0} rewritten | {1} gone or expired | {E_STALE, version} it changed since it was read
-- @include "session"

local s = load_session('')
if not s then return { 1 } end
if s.version ~= ARGV[1] then return { E_STALE, tonumber(s.version) } end

local targets = { { K_SESSION, 'HSET' }, { K_STEPS, 'LSET' }, { K_NARRATIVE, 'HSET' }, { K_CHOICES, 'LSET' }, { K_MESSAGES, 'LSET' }, { K_IDEMPOTENCY, 'HSET' } }
local groups = {}
local i = 2
for g = 1, #targets do
  local n = tonumber(ARGV[i])
  -- A key that is gone (trimmed, expired) is a change since the read: never recreate it without its TTL.
  if n > 0 and redis.call('EXISTS', KEYS[targets[g][1]]) == 0 then return { E_STALE, tonumber(s.version) } end
  groups[g] = { i + 1, n }
  i = i + 1 + 2 * n
end
local finalized = ARGV[i]
if finalized ~= '' and redis.call('EXISTS', KEYS[K_FINALIZED]) == 0 then return { E_STALE, tonumber(s.version) } end

for g = 1, #targets do
  local key, command = KEYS[targets[g][1]], targets[g][2]
  local first, n = groups[g][1], groups[g][2]
  for j = 0, n - 1 do redis.call(command, key, ARGV[first + 2 * j], ARGV[first + 2 * j + 1]) end
end
if finalized ~= '' then redis.call('SET', KEYS[K_FINALIZED], finalized, 'KEEPTTL') end
return { 0 }
