-- Times a script's Lua logic apart from Redis: the script as sessiond sends it (`npx tsx bench/lua-ab.ts
-- --write /tmp/x.lua`), run N times on Lua 5.1 — the interpreter Redis 7.0 embeds — with every
-- redis.call answered from the canned replies below (those of PUT step on an active onboarding session
-- with 23 steps). What it measures is the interpreter's work between the commands, which INFO
-- commandstats cannot separate from the commands and the Redis bridge; the replies are a yardstick, not
-- a Redis: bench/lua-ab.ts measures scripts on a real one. Five rounds per file, alternating; the median.
--   apt-get install lua5.1 lua-bitop
--   lua5.1 bench/lua-vm.lua 100000 /tmp/a.lua /tmp/b.lua …
require('bit')
local N = tonumber(arg[1])
local version = 1041
local REPLIES = {
  HMGET = { 's000000000000000000000', 'u1', 'onboarding', 'active', '1041', '1764773600000', '1764856400000',
    '3600', false, 'BG', '23', 'fffff', '1764769990000' },
  TIME = { '1764770000', '123456' }, LLEN = 23, LSET = 'OK', HSET = 0, RPUSH = 600, PUBLISH = 0, LTRIM = 'OK',
  PEXPIREAT = 1, ZADD = 0, PTTL = 3000000, HINCRBY = 1
}
local redis = { call = function (command, ...)
  local reply = REPLIES[command]
  if command == 'HMGET' then
    -- A fresh table per call, as Redis makes one, with the version the last HSET left.
    local copy = {}
    for i = 1, #reply do copy[i] = reply[i] end
    copy[5] = tostring(version)
    return copy
  end
  if command == 'HSET' then version = version + 1 end
  return reply
end }
local env = setmetatable({
  redis = redis,
  KEYS = { 'session:sessiond:bench:session:{s000000000000000000000}:v2', 'global:sessiond:bench:expiry:{978}:v2',
    'global:sessiond:bench:live:{978}:v2' },
  ARGV = { 'u1', '', '18', '{"answer":"' .. string.rep('x', 180) .. '"}' }
}, { __index = _G })
local micros = {}
for _ = 1, 5 do
  for i = 2, #arg do
    local chunk = assert(loadfile(arg[i]))
    setfenv(chunk, env)
    collectgarbage('collect')
    local started = os.clock()
    for _ = 1, N do chunk() end
    micros[i] = micros[i] or {}
    table.insert(micros[i], (os.clock() - started) * 1e6 / N)
  end
end
for i = 2, #arg do
  table.sort(micros[i])
  print(string.format('%-50s %.3f µs per call (fastest round %.3f)', arg[i], micros[i][3], micros[i][1]))
end
