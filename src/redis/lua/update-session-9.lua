-- Applies a PATCH computed by the caller from the session at `expected_version` (compare-and-set):
-- the new field values, one version bump, the events, and the sliding expiry, in one atomic change.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 expected version (what the caller read), 3 if-match version ('' = none),
--       4 number of events n, then n pairs (event type, event JSON), then field/value pairs to set
-- Returns: {0, flat session}, {-1} not found, {-2, current_version} if-match failed,
--          {-4} finalized, {-11, current_version} changed since the caller read it (read again, retry)
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
if s.state == 'completed' then return { E_FINALIZED } end
if ARGV[3] ~= '' and ARGV[3] ~= s.version then return { E_VERSION, tonumber(s.version) } end
if ARGV[2] ~= s.version then return { -11, tonumber(s.version) } end

local n = tonumber(ARGV[4])
local first_field = 5 + 2 * n
if #ARGV >= first_field then
  local fields = {}
  for i = first_field, #ARGV, 2 do
    s[ARGV[i]] = ARGV[i + 1]
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
  end
  redis.call('HSET', KEYS[K_SESSION], unpack(fields))
end
commit(s, now_ms(), ARGV[5], ARGV[6])
for i = 2, n do append_event(s, tonumber(s.updated_at), ARGV[3 + 2 * i], ARGV[4 + 2 * i]) end
return { 0, flatten(s) }
