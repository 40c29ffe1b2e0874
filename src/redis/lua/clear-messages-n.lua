-- Clears a session's chat history. One change when messages existed, none otherwise. message_seq is
-- kept: seqs never repeat within a session.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none)
-- Returns: {0, messages deleted, version}
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
-- @include "session"

local s, err = guard_write(ARGV[1], ARGV[2], {})
if not s then return err end
local now = now_ms()
local count = redis.call('LLEN', KEYS[K_MESSAGES])
if count == 0 then
  slide(s, now)
  return { 0, 0, tonumber(s.version) }
end
redis.call('DEL', KEYS[K_MESSAGES])
commit(s, now, { { EV_SESSION_UPDATED, '["messages"]' } })
return { 0, count, tonumber(s.version) }
