-- Applies a PATCH computed by the caller from the session at `expected_version` (compare-and-set):
-- the new field values, one version bump, the events, and the expiry, in one atomic change.
-- A new ttl_seconds moves the expiry at once (to now + ttl, capped), even when that shortens it.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 expected version (what the caller read), 3 if-match version ('' = none),
--       4 number of events n, then n pairs (event code, event values: see encode_event), then field/value pairs to set
-- Returns: {0, packed session}, or {E_SESSION_NOT_FOUND} | {E_FINALIZED} | {E_VERSION_CONFLICT, current_version}
--          | {E_STALE, current_version, packed session} changed since the caller planned it: retry from this
-- @include "session"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
if s.state == 'completed' then return { E_FINALIZED } end
if ARGV[3] ~= '' and ARGV[3] ~= s.version then return { E_VERSION_CONFLICT, tonumber(s.version) } end
if ARGV[2] ~= s.version then return { E_STALE, tonumber(s.version), session_packed(s) } end

local now = now_ms()
local n = tonumber(ARGV[4])
local events = {}
for i = 1, n do events[i] = { ARGV[3 + 2 * i], ARGV[4 + 2 * i] } end
local first_field = 5 + 2 * n
local state_before = s.state
if #ARGV >= first_field then
  local fields = {}
  for i = first_field, #ARGV, 2 do
    s[ARGV[i]] = ARGV[i + 1]
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
  end
  redis.call('HSET', KEYS[K_SESSION], unpack(fields))
end
for i = first_field, #ARGV, 2 do
  if ARGV[i] == 'ttl_seconds' then set_expiry(s, slid_expiry(s, now), now) end
end
move_live_state(s, state_before, s.state)
commit(s, now, events)
return { 0, session_packed(s) }
