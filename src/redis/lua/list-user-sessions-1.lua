-- One page of a user's sessions, newest first, read in one script: the index and the sessions it
-- names. Only where every key is on one server (standalone, Sentinel): on a Cluster the sessions live in
-- other slots and src/redis/scripts.ts reads them one by one instead. Entries of sessions that are
-- gone or expired are removed from the index. Does not slide any expiry.
-- KEYS: 1 the user's sessions zset (score: created_at ms)
-- ARGV: 1 session hash key prefix, 2 suffix (key = prefix .. id .. suffix), 3 owner ('' = any),
--       4 after this created_at ('' = from the newest), 5 and this id, 6 page size,
--       7 state filter ('' = any), 8 kind filter ('' = any), 9 most index entries to examine
-- Returns: {0, {packed session …}, more (0|1), position created_at, position id}: the position to
--          continue after (the page's last session, or the last entry examined when the budget ran out;
--          its created_at is '' on a last page that began at the newest).
--          A packed session is the first LISTED_FIELDS of its SESSION_FIELDS values, packed (includes/packed.lua),
--          `goals` empty unless its schema_version is older than SESSION_SCHEMA_VERSION.
-- @include "constants"
-- @include "time"
-- @include "packed"

local prefix, suffix, owner = ARGV[1], ARGV[2], ARGV[3]
local at, after_id = ARGV[4], ARGV[5]
local limit, state, kind, budget = tonumber(ARGV[6]), ARGV[7], ARGV[8], tonumber(ARGV[9])
-- A first page needs no scores: Redis writes each as text (~0.35 µs apiece), so only a page that goes on
-- asks for its position's (0730). A later page compares scores with its position's, so it takes them all.
local scored = at ~= ''
local stride = scored and 2 or 1
local matches, gone = {}, {}
local examined, offset = 0, 0
local last_at, last_id = at, after_id
local exhausted, stopped = false, false
while not stopped and not exhausted do
  local rows
  if scored then
    rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], at, '-inf', 'WITHSCORES', 'LIMIT', offset, limit + 1)
  else
    rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '-inf', 'LIMIT', offset, limit + 1)
  end
  offset = offset + #rows / stride
  exhausted = #rows < (limit + 1) * stride
  for i = 1, #rows, stride do
    local id, score = rows[i], scored and rows[i + 1]
    -- Equal created_at: newest first means id descending; skip up to and including the position.
    if not (scored and tonumber(score) == tonumber(at) and id >= after_id) then
      if #matches > limit or examined >= budget then
        stopped, exhausted = true, false
        break
      end
      examined = examined + 1
      last_at, last_id = score, id
      -- Only the fields a Session is made of, less the id (the index names it) and `goals` (only an older
      -- schema_version has it): fewer strings through Lua than HGETALL's names and values (0720, 0730).
      local key = prefix .. id .. suffix
      local v = LISTED_VALUES(id, redis.call('HMGET', key, unpack(SESSION_FIELDS, 2, LISTED_FIELDS - 1)))
      local expires_at = tonumber(v[R_EXPIRES_AT])
      if not expires_at or expires_at <= now_ms() then
        gone[#gone + 1] = id
      elseif (owner == '' or v[R_USER_ID] == owner) and (state == '' or v[R_STATE] == state) and (kind == '' or v[R_KIND] == kind) then
        if v[R_SCHEMA_VERSION] ~= SESSION_SCHEMA_VERSION then v[R_GOALS] = redis.call('HGET', key, 'goals') or '' end
        matches[#matches + 1] = { pack_strings(v, LISTED_FIELDS), score, id }
      end
    end
  end
end
-- The position of a first page's session, read for the one that is needed (before the gone are removed:
-- the last session examined may be one of them).
local function position (score, id)
  return score or redis.call('ZSCORE', KEYS[1], id), id
end

local page = {}
for i = 1, math.min(#matches, limit) do page[i] = matches[i][1] end
local reply
if #matches > limit then
  reply = { 0, page, 1, position(matches[limit][2], matches[limit][3]) }
elseif exhausted then
  reply = { 0, page, 0, last_at or '', last_id }
else
  reply = { 0, page, 1, position(last_at, last_id) }
end
if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end
return reply
