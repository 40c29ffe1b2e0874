-- One page of a session's messages in seq order. Slides the session's expiry.
-- The position is a seq, or a message id (the `after` alias): an id that is not stored (trimmed,
-- cleared, or never issued) counts as older than every kept message.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 after this seq ('' = none), 3 after this message id ('' = none),
--       4 'asc' or 'desc', 5 page size
-- Returns: {0, {message …}, more (1 when messages follow the page)} or {E_SESSION_NOT_FOUND}
-- @include "session"
-- @include "page"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
slide(s, now_ms())
local limit = tonumber(ARGV[5])
local last = tonumber(s.message_seq or '0')
local first = last - redis.call('LLEN', KEYS[K_MESSAGES]) + 1

local after = tonumber(ARGV[2])
if ARGV[3] ~= '' then
  after = 0
  local needle = '{"id":"' .. ARGV[3] .. '","seq":'
  for _, doc in ipairs(redis.call('LRANGE', KEYS[K_MESSAGES], 0, -1)) do
    if string.sub(doc, 1, #needle) == needle then
      after = tonumber(string.match(doc, '^[^,]*,"seq":(%d+)'))
      break
    end
  end
end

local items = {}
if ARGV[4] == 'desc' then
  local top = last
  if after then top = after - 1 end
  if top >= first then
    local stop = top - first
    items = redis.call('LRANGE', KEYS[K_MESSAGES], math.max(stop - limit, 0), stop)
    local reversed = {}
    for i = #items, 1, -1 do reversed[#reversed + 1] = items[i] end
    items = reversed
  end
else
  local from = first
  if after then from = math.max(after + 1, first) end
  items = redis.call('LRANGE', KEYS[K_MESSAGES], from - first, from - first + limit)
end
local page, more = take_page(items, limit)
return { 0, page, more }
