-- Reads a session, sliding its expiry unless told not to (a read is not a change: no version bump).
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 touch ('1' slides the expiry, '0' does not),
--       3 the version the caller holds ('' = none: always answer the session)
-- Returns: {0, packed session}, {2, version} the caller's version is current, or {E_SESSION_NOT_FOUND}
-- @include "session"

local v = load_fields(ARGV[1])
if not v then return { E_SESSION_NOT_FOUND } end
if ARGV[2] == '1' then
  local now = now_ms()
  local by_name = {
    completed_at = v[R_COMPLETED_AT], ttl_seconds = v[R_TTL_SECONDS],
    absolute_expires_at = v[R_ABSOLUTE_EXPIRES_AT], expires_at = v[R_EXPIRES_AT]
  }
  local target = slide_target(by_name, now)
  if target then
    -- Once per 1 % of the TTL or so: the whole session, whose keys all move.
    local s = load_session(ARGV[1])
    set_expiry(s, target, now)
    v[R_EXPIRES_AT] = s.expires_at
  end
end
if ARGV[3] == v[R_VERSION] then return { 2, tonumber(v[R_VERSION]) } end
return { 0, pack_fields(v, #SESSION_FIELDS) }
