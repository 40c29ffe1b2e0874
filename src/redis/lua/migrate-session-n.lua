-- Rewrites one stored session document in the current schema (`npx sessiond migrate`): a compare-and-set
-- on the version and schema_version it was read at. Not a change: the version, the events and the
-- expiry stay as they are (the API already showed the document upgraded, src/domain/migrations.ts).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 expected version, 2 expected schema_version ('' when the field is absent),
--       3 n, then n field/value pairs to set, then the fields to delete
-- Returns: {0} migrated | {1} gone or expired | {E_STALE, version} it changed since it was read
-- @include "session"

local s = load_session('')
if not s then return { 1 } end
if s.version ~= ARGV[1] or (s.schema_version or '') ~= ARGV[2] then return { E_STALE, tonumber(s.version) } end
local n = tonumber(ARGV[3])
if n > 0 then redis.call('HSET', KEYS[K_SESSION], unpack(ARGV, 4, 3 + 2 * n)) end
if #ARGV > 3 + 2 * n then redis.call('HDEL', KEYS[K_SESSION], unpack(ARGV, 4 + 2 * n, #ARGV)) end
return { 0 }
