-- The sessions due to expire, from one or more slots' expiry indexes (on a Cluster one index per call;
-- where Redis is one server, many).
-- KEYS: expiry indexes (the caller passes how many)
-- ARGV: 1 now (ms), 2 at most this many ids per index
-- Returns: for each index, in KEYS order: {earliest score or -1 when empty, {due id, its expires_at, …}}
local out = {}
for i = 1, #KEYS do
  local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if #first == 0 then
    out[i] = { -1, {} }
  elseif tonumber(first[2]) > tonumber(ARGV[1]) then
    out[i] = { tonumber(first[2]), {} }
  else
    out[i] = { tonumber(first[2]), redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2])) }
  end
end
return out
