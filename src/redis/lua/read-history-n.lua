-- One page of a session's scene or choice history, oldest first. Slides the session's expiry.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 'scenes' or 'choices', 3 first index wanted ('' = the oldest kept), 4 page size
-- Returns: {0, {entry …}, more (1 when entries follow the page)} or {E_SESSION_NOT_FOUND}
-- @include "session"
-- @include "history"
-- @include "page"

local s = load_session(ARGV[1])
if not s then return { E_SESSION_NOT_FOUND } end
slide(s, now_ms())
local key = KEYS[K_SCENES]
if ARGV[2] == 'choices' then key = KEYS[K_CHOICES] end
local limit = tonumber(ARGV[4])
local start = 0
if ARGV[3] ~= '' then
  -- Indexes count from the first entry ever; the list starts at the oldest one still kept.
  local oldest = redis.call('LINDEX', key, 0)
  if oldest then start = math.max(tonumber(ARGV[3]) - entry_index(oldest), 0) end
end
local page, more = take_page(redis.call('LRANGE', key, start, start + limit), limit)
return { 0, page, more }
