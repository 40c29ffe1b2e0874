-- Creates a session; idempotent by id (an existing session is returned unchanged).
-- KEYS: the session's keys (see includes/session.lua); where Redis is one server and ARGV 15 is set, the
--       user's index follows them (docs/decisions/0721)
-- ARGV: 1 id, 2 user_id, 3 workspace_id ('' for none), 4 kind, 5 state, 6 safety_level,
--       7 therapeutic_goals (JSON), 8 total_steps, 9 metadata (JSON), 10 ttl_seconds,
--       11 max_lifetime_seconds, 12 schema_version, 13 the session.created event's values (see encode_event),
--       14 digest of the global Idempotency-Key record this create is answered from ('' for none): kept in the
--          session as `idempotency_digest`, so that deleting the session deletes that record too,
--       15 '' when the caller files the session in its user's index (a Cluster: another slot), else how
--          long (ms) past absolute_expires_at the index keeps it (UserIndex.filing): this script files a
--          session it creates
-- Returns: {0, packed session} created, {1, packed session} it already existed
-- @include "session"
-- @include "user-index"

local now = now_ms()
local existing = load_session('', true)
if existing then
  if tonumber(existing.expires_at) > now then return { 1, session_packed(existing) } end
  -- A retried create of a session that has expired since: the old one is claimed, then made anew.
  remove_session(existing, now, EV_SESSION_EXPIRED)
end

local s = {
  id = ARGV[1], user_id = ARGV[2], workspace_id = ARGV[3], kind = ARGV[4], state = ARGV[5],
  safety_level = ARGV[6], therapeutic_goals = ARGV[7], current_scene_id = '', total_steps = ARGV[8],
  metadata = ARGV[9], ttl_seconds = ARGV[10], version = '1', schema_version = ARGV[12],
  created_at = int_str(now), updated_at = int_str(now), completed_at = '',
  absolute_expires_at = int_str(now + tonumber(ARGV[11]) * 1000),
  keys = key_flag(K_EVENTS) -- its event log, written below
}
if ARGV[14] ~= '' then s.idempotency_digest = ARGV[14] end
if ARGV[15] ~= '' then
  file_in_user_index(PASSED_KEYS[SCRIPT_KEY_COUNT + 1], s.id, s.created_at, tonumber(s.absolute_expires_at) + tonumber(ARGV[15]), false)
end
local expires_at = slid_expiry(s, now)
s.expires_at = int_str(expires_at)
redis.call('HSET', KEYS[K_SESSION], unpack(flatten(s)))
local event = encode_event(s.version, now, EV_SESSION_CREATED, ARGV[13])
redis.call('RPUSH', KEYS[K_EVENTS], event)
file_expiry(s, expires_at, now)
count_live(s, 1)
announce({ event })
return { 0, session_packed(s) }
