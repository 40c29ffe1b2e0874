-- Sums the live-session counters of many slots (admin stats, the sessiond_sessions_live gauge). Where
-- Redis is one server one call reads many slots; a Cluster reads them per node (src/repositories/live-counts.ts).
-- KEYS: the slots' live-counter hashes, keys.liveCounts(slot) (the caller passes how many)
-- ARGV: none
-- Returns: {field, total, …}: every counter field (k:<kind>, s:<state>) with its sum over KEYS
local totals = {}
local fields = {}
for i = 1, #KEYS do
  local flat = redis.call('HGETALL', KEYS[i])
  for j = 1, #flat, 2 do
    local field = flat[j]
    if totals[field] == nil then
      totals[field] = 0
      fields[#fields + 1] = field
    end
    totals[field] = totals[field] + tonumber(flat[j + 1])
  end
end
local out = {}
for _, field in ipairs(fields) do
  out[#out + 1] = field
  out[#out + 1] = totals[field]
end
return out
