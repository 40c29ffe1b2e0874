-- PUT step's save-step script written flat, for bench/lua-ab.ts: the same commands and the same reply as
-- src/redis/lua/save-step-n.lua on an active onboarding session whose steps and log already exist (no
-- if-match, no state checks, no first-write bookkeeping, no sliding expiry), without the shared
-- includes. Key names as KEY_ENV=bench makes them. Not a replacement: a yardstick of what the includes cost.
local key = KEYS[1]
local v = redis.call('HMGET', key, 'id', 'user_id', 'kind', 'state', 'version', 'expires_at', 'absolute_expires_at', 'ttl_seconds', 'completed_at', 'keys', 'total_steps', 'steps_saved', 'progress_updated_at')
if not v[6] then return { -1 } end
if ARGV[1] ~= '' and v[2] ~= ARGV[1] then return { -1 } end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(v[6]) <= now then return { -1 } end
local n = tonumber(ARGV[3])
local id = v[1]
local steps = 'session:sessiond:bench:steps:{' .. id .. '}:v2'
local events = 'session:sessiond:bench:events:{' .. id .. '}:v2'
local saved_at = string.format('%d', now)
local len = redis.call('LLEN', steps)
if n <= len then redis.call('LSET', steps, n - 1, saved_at .. '|' .. ARGV[4]) else redis.call('RPUSH', steps, saved_at .. '|' .. ARGV[4]) end
local version = string.format('%d', tonumber(v[5]) + 1)
redis.call('HSET', key, 'version', version, 'updated_at', saved_at, 'steps_saved', v[12] or '', 'progress_updated_at', saved_at)
local ev = '[' .. version .. ',' .. saved_at .. ',3,' .. n .. ']'
local l = redis.call('RPUSH', events, ev)
if l > 1100 then redis.call('LTRIM', events, -1000, -1) end
redis.call('PUBLISH', 'session:sessiond:bench:changes:{' .. id .. '}:v2', ev)
return { 0, version, v[11], saved_at, v[12] or '', saved_at }
