-- The session's logged events after a version (what a reconnecting event stream missed). Does not
-- slide the expiry: an open stream is not a read of the session.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 after this version ('' = none: only the current version is answered)
-- Returns: {0, current version, oldest version still logged (0 when none), {event …}} or {E_SESSION_NOT_FOUND}
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if ARGV[2] == '' then return { 0, tonumber(s.version), 0, {} } end
local after = tonumber(ARGV[2])
local logged = redis.call('LRANGE', KEYS[K_EVENTS], 0, -1)
local oldest = 0
if #logged > 0 then oldest = tonumber(string.match(logged[1], '^%[(%d+),')) end
local missed = {}
for i = 1, #logged do
  if tonumber(string.match(logged[i], '^%[(%d+),')) > after then missed[#missed + 1] = logged[i] end
end
return { 0, tonumber(s.version), oldest, missed }
