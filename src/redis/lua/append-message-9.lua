-- Appends a chat message: the next seq (session field message_seq, so 1, 2, 3 … with no gaps under
-- concurrent writers), the message id in the messages zset (score = seq) and its document in
-- message_docs; then trims to the newest `max` messages, zset and documents together.
-- Idempotent by message id: a message already stored under this id is returned unchanged.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 message id,
--       4 the message's other fields (JSON object: role, content, name, metadata), 5 role, 6 messages kept
-- Returns: {0, message JSON, version}  appended
--          {1, message JSON, version}  this id was appended before; nothing changed
--          {-1} | {-2, current_version} | {-3, state} | {-4}
-- @include "session"
-- @include "history"

local s, reply = guard_append(ARGV[1], ARGV[2], function () return redis.call('HGET', KEYS[K_MESSAGE_DOCS], ARGV[3]) end)
if not s then return reply end
local now = now_ms()
local seq = int_str(redis.call('HINCRBY', KEYS[K_SESSION], 'message_seq', 1))
local doc = '{"id":"' .. ARGV[3] .. '","seq":' .. seq .. ',"created_at":' .. int_str(now) .. ',' .. string.sub(ARGV[4], 2)
redis.call('ZADD', KEYS[K_MESSAGES], seq, ARGV[3])
redis.call('HSET', KEYS[K_MESSAGE_DOCS], ARGV[3], doc)
local excess = redis.call('ZCARD', KEYS[K_MESSAGES]) - tonumber(ARGV[6])
if excess > 0 then
  local trimmed = redis.call('ZRANGE', KEYS[K_MESSAGES], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[K_MESSAGES], 0, excess - 1)
  for i = 1, #trimmed do redis.call('HDEL', KEYS[K_MESSAGE_DOCS], trimmed[i]) end
end
commit(s, now, 'message.created', '{"id":"' .. ARGV[3] .. '","seq":' .. seq .. ',"role":"' .. ARGV[5] .. '"}')
return { 0, doc, tonumber(s.version) }
