-- Clears a session's chat history (zset and documents). One change when messages existed, none
-- otherwise. message_seq is kept: seqs never repeat within a session.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none)
-- Returns: {0, messages deleted, version} or {-1} | {-2, current_version} | {-3, state} | {-4}
-- @include "session"

local s, err = guard_write(ARGV[1], ARGV[2])
if not s then return err end
local now = now_ms()
local count = redis.call('ZCARD', KEYS[K_MESSAGES])
if count == 0 then
  slide(s, now)
  return { 0, 0, tonumber(s.version) }
end
redis.call('DEL', KEYS[K_MESSAGES], KEYS[K_MESSAGE_DOCS])
commit(s, now, 'session.updated', '{"change":"messages_cleared","count":' .. int_str(count) .. '}')
return { 0, count, tonumber(s.version) }
