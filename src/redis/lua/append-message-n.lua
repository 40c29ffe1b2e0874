-- Appends a chat message with the next seq (session field message_seq: 1, 2, 3 … with no gaps under
-- concurrent writers) to the messages list, oldest first, trimmed to the newest `keep`. The list
-- holds seqs message_seq - LLEN + 1 … message_seq, so a seq finds its message by position.
-- A repeated Idempotency-Key replays the first reply.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 message id,
--       4 the message's other fields (JSON object: role, content, name?, metadata?), 5 role, 6 messages kept,
--       7 idempotency scope digest ('' = no key), 8 request fingerprint
-- Returns: appended_reply: '0,<version>,<message>' appended, '1,<version>,<message>' replayed
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
--          | {E_IDEMPOTENCY_KEY_REUSED}
-- @include "session"
-- @include "idempotency"

local now = now_ms()
local s, reply = guard_idempotent_write(ARGV[1], ARGV[2], ARGV[7], ARGV[8], now, { 'message_seq' })
if not s then return reply end
local seq = int_str(tonumber(s.message_seq or '0') + 1)
local doc = '{"id":"' .. ARGV[3] .. '","seq":' .. seq .. ',"created_at":' .. int_str(now) .. ',' .. string.sub(ARGV[4], 2)
push_capped(s, K_MESSAGES, tonumber(ARGV[6]), doc)
commit(s, now, { { EV_MESSAGE_CREATED, '"' .. ARGV[3] .. '",' .. seq .. ',"' .. ARGV[5] .. '"' } }, { 'message_seq', seq })
idempotent_store(s, ARGV[7], ARGV[8], now, doc)
return appended_reply(0, s.version, doc)
