-- One page of a user's sessions, newest first, read in one script: the index and the sessions it
-- names. Only where every key is on one server (standalone, Sentinel): on a Cluster the sessions live in
-- other slots and src/redis/scripts.ts reads them one by one instead. Entries of sessions that are
-- gone or expired are removed from the index. Does not slide any expiry.
-- KEYS: 1 the user's sessions zset (score: created_at ms)
-- ARGV: 1 session hash key prefix, 2 suffix (key = prefix .. id .. suffix), 3 owner ('' = any),
--       4 after this created_at ('' = from the newest), 5 and this id, 6 page size,
--       7 state filter ('' = any), 8 kind filter ('' = any), 9 most index entries to examine
-- Returns: {0, {packed session …}, more (0|1), position created_at, position id}: the position to
--          continue after (the page's last session, or the last entry examined when the budget ran out).
--          A packed session is the first LISTED_FIELDS of its SESSION_FIELDS values, packed (includes/packed.lua).
-- @include "constants"
-- @include "time"
-- @include "packed"

local limit, budget = tonumber(ARGV[6]), tonumber(ARGV[9])
local at, after_id = ARGV[4], ARGV[5]
local matches, gone = {}, {}
local examined, offset = 0, 0
local last_at, last_id = at, after_id
local exhausted, stopped = false, false
while not stopped and not exhausted do
  local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], at == '' and '+inf' or at, '-inf', 'WITHSCORES', 'LIMIT', offset, limit + 1)
  offset = offset + #rows / 2
  exhausted = #rows < (limit + 1) * 2
  for i = 1, #rows, 2 do
    local id, score = rows[i], rows[i + 1]
    -- Equal created_at: newest first means id descending; skip up to and including the position.
    if not (at ~= '' and tonumber(score) == tonumber(at) and id >= after_id) then
      if #matches > limit or examined >= budget then
        stopped, exhausted = true, false
        break
      end
      examined = examined + 1
      last_at, last_id = score, id
      -- Only the fields a Session is made of: fewer strings through Lua than HGETALL's names and values.
      local v = redis.call('HMGET', ARGV[1] .. id .. ARGV[2], unpack(SESSION_FIELDS, 1, LISTED_FIELDS))
      if not v[R_EXPIRES_AT] or tonumber(v[R_EXPIRES_AT]) <= now_ms() then
        gone[#gone + 1] = id
      else
        if (ARGV[3] == '' or v[R_USER_ID] == ARGV[3]) and (ARGV[7] == '' or v[R_STATE] == ARGV[7]) and (ARGV[8] == '' or v[R_KIND] == ARGV[8]) then
          matches[#matches + 1] = { pack_fields(v, LISTED_FIELDS), score, id }
        end
      end
    end
  end
end
if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end

local page = {}
for i = 1, math.min(#matches, limit) do page[i] = matches[i][1] end
if #matches > limit then return { 0, page, 1, matches[limit][2], matches[limit][3] } end
return { 0, page, exhausted and 0 or 1, last_at, last_id }
