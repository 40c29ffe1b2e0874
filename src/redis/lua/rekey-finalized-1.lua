-- Rewrites one entry of the finalized stream under the current key (`npx sessiond rotate-keys`). A
-- stream entry cannot change: the entry is appended again with the result sealed anew and the old one
-- deleted, if it still holds the value it was read with. Consumers see it once more (they dedupe on
-- session_id: docs/finalized-stream.md).
-- KEYS: 1 the finalized stream
-- ARGV: 1 entry id, 2 the result it was read with, 3 the result to write
-- Returns: {0, new entry id} rewritten | {1} gone or changed since it was read

local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries == 0 then return { 1 } end
local fields = entries[1][2]
local out = {}
local found = false
for i = 1, #fields, 2 do
  out[#out + 1] = fields[i]
  if fields[i] == 'result' then
    if fields[i + 1] ~= ARGV[2] then return { 1 } end
    found = true
    out[#out + 1] = ARGV[3]
  else
    out[#out + 1] = fields[i + 1]
  end
end
if not found then return { 1 } end
local id = redis.call('XADD', KEYS[1], '*', unpack(out))
redis.call('XDEL', KEYS[1], ARGV[1])
return { 0, id }
