-- Times a script's Lua logic apart from Redis: the script as sessiond sends it (`npx tsx bench/lua-ab.ts
-- [--script S] --write /tmp/x.lua`), run N times on Lua 5.1 — the interpreter Redis 7.0 embeds — with
-- every redis.call answered from canned replies: those of PUT step on an active onboarding session with
-- 23 steps (save-step), or of POST session creating a new one (create-session). What it measures is the
-- interpreter's work between the commands, which INFO commandstats cannot separate from the commands
-- and the Redis bridge; the replies are a yardstick, not a Redis: bench/lua-ab.ts measures scripts on a
-- real one. Five rounds per file, alternating; the median.
--   apt-get install lua5.1 lua-bitop
--   lua5.1 bench/lua-vm.lua save-step|create-session N /tmp/a.lua /tmp/b.lua …
require('bit')
local CASE, N = arg[1], tonumber(arg[2])
local version = 1041
local REPLIES = {
  HMGET = { 's000000000000000000000', 'u1', 'onboarding', 'active', '1041', '1764773600000', '1764856400000',
    '3600', false, 'BG', '23', 'fffff', '1764769990000' },
  HGETALL = {}, TIME = { '1764770000', '123456' }, LLEN = 23, LSET = 'OK', HSET = 0, RPUSH = 600, PUBLISH = 0,
  LTRIM = 'OK', PEXPIREAT = 1, ZADD = 0, PTTL = 3000000, HINCRBY = 1
}
local redis = { call = function (command, ...)
  local reply = REPLIES[command]
  if command == 'HMGET' or command == 'HGETALL' then
    -- A fresh table per call, as Redis makes one, with the version the last HSET left.
    local copy = {}
    for i = 1, #reply do copy[i] = reply[i] end
    if command == 'HMGET' then copy[5] = tostring(version) end
    return copy
  end
  if command == 'HSET' then version = version + 1 end
  return reply
end }
local CASES = {
  ['save-step'] = {
    KEYS = { 'session:sessiond:bench:session:{s000000000000000000000}:v2', 'global:sessiond:bench:expiry:{978}:v2',
      'global:sessiond:bench:live:{978}:v2' },
    ARGV = { 'u1', '', '18', '{"answer":"' .. string.rep('x', 180) .. '"}' }
  },
  ['create-session'] = {
    KEYS = { 'session:sessiond:bench:session:{s000000000000000000000}:v2', 'global:sessiond:bench:expiry:{978}:v2',
      'global:sessiond:bench:live:{978}:v2', 'user:sessiond:bench:sessions:{u1}:v2' },
    ARGV = { 's000000000000000000000', 'u1', '', 'generic', 'active', 'none', '["focus"]', '23',
      '{"plan":"pro","source":"bench"}', '86400', '2592000', '2', '"generic"', '', '600000' }
  }
}
local case = assert(CASES[CASE], 'the first argument: save-step or create-session')
local env = setmetatable({ redis = redis, KEYS = case.KEYS, ARGV = case.ARGV }, { __index = _G })
local micros = {}
for _ = 1, 5 do
  for i = 3, #arg do
    local chunk = assert(loadfile(arg[i]))
    setfenv(chunk, env)
    collectgarbage('collect')
    local started = os.clock()
    for _ = 1, N do chunk() end
    micros[i] = micros[i] or {}
    table.insert(micros[i], (os.clock() - started) * 1e6 / N)
  end
end
for i = 3, #arg do
  table.sort(micros[i])
  print(string.format('%-50s %.3f µs per call (fastest round %.3f)', arg[i], micros[i][3], micros[i][1]))
end
