-- One page of a session's messages in seq order. Slides the session's expiry.
-- An `after` id that is not stored (trimmed, cleared, or never issued) counts as older than every kept
-- message: trimming and clearing only ever remove the oldest, and new messages get higher seqs.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 after: message id ('' = from the start), 3 'asc' or 'desc', 4 page size
-- Returns: {0, {message JSON …}, more (1 when messages follow the page)} or {-1}
-- @include "session"
-- @include "page"

local s = load_session(ARGV[1])
if not s then return { E_NOT_FOUND } end
slide(s, now_ms())
local limit = tonumber(ARGV[4])
local bound
if ARGV[2] ~= '' then bound = '(' .. (redis.call('ZSCORE', KEYS[K_MESSAGES], ARGV[2]) or '0') end
local ids
if ARGV[3] == 'desc' then
  ids = redis.call('ZREVRANGEBYSCORE', KEYS[K_MESSAGES], bound or '+inf', '-inf', 'LIMIT', 0, limit + 1)
else
  ids = redis.call('ZRANGEBYSCORE', KEYS[K_MESSAGES], bound or '-inf', '+inf', 'LIMIT', 0, limit + 1)
end
local more
ids, more = take_page(ids, limit)
if #ids == 0 then return { 0, {}, 0 } end
return { 0, redis.call('HMGET', KEYS[K_MESSAGE_DOCS], unpack(ids)), more }
