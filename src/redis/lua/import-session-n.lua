-- Restores one session from a backup line (contract §9 import), atomically: written when no live session
-- has this id or the stored one is older (by version), so importing the same file twice changes nothing.
-- Writes the session hash and every key under it with the backup's absolute expiry (its keys, as always,
-- EXPIRY_GRACE_MS later), files it in its slot's expiry index and counts it live. A stored session it
-- replaces is removed first (uncounted), and the change is announced on the session's channel so that
-- event streams and read caches of every instance see it.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 version, 2 expires_at (ms), 3 the announcement (encoded events, newline-separated),
--       4 n, then n session field/value pairs,
--       then for steps, scenes, choices, messages and events in this order: a count, then that many elements,
--       then for narrative and idempotency in this order: a count n, then n field/value pairs,
--       then the finalized result ('' for none)
-- Returns: {0} imported | {1, stored version} skipped: a live session as new or newer is stored
--          | {2} skipped: expired at expires_at | {3, position} malformed ARGV (nothing written)
-- @include "session"

local LISTS = { K_STEPS, K_SCENES, K_CHOICES, K_MESSAGES, K_EVENTS }
local HASHES = { K_NARRATIVE, K_IDEMPOTENCY }
local PUSH_CHUNK = 1000

-- Checks the shape of ARGV before anything is written (a script is not rolled back when it fails).
local function well_formed()
  local pos = 4
  local n = tonumber(ARGV[pos])
  if not n or n < 1 then return pos end
  pos = pos + 1 + 2 * n
  for _ = 1, #LISTS do
    n = tonumber(ARGV[pos])
    if not n then return pos end
    pos = pos + 1 + n
  end
  for _ = 1, #HASHES do
    n = tonumber(ARGV[pos])
    if not n then return pos end
    pos = pos + 1 + 2 * n
  end
  if pos ~= #ARGV then return pos end
  return nil
end

local bad = well_formed()
if bad then return { 3, bad } end

local now = now_ms()
local version = tonumber(ARGV[1])
local expires_at = tonumber(ARGV[2])
if expires_at <= now then return { 2 } end

local existing = load_session('', true)
if existing and tonumber(existing.expires_at) > now and tonumber(existing.version) >= version then
  return { 1, tonumber(existing.version) }
end
local replaced = existing ~= nil
redis.call('DEL', KEYS[K_SESSION], KEYS[K_STEPS], KEYS[K_NARRATIVE], KEYS[K_SCENES], KEYS[K_CHOICES],
  KEYS[K_MESSAGES], KEYS[K_EVENTS], KEYS[K_FINALIZED], KEYS[K_IDEMPOTENCY])
if existing then
  redis.call('ZREM', KEYS[K_EXPIRY], existing.id)
  count_live(existing, -1)
end

local pos = 4
local n = tonumber(ARGV[pos])
local s = {}
local fields = {}
for i = 1, n do
  local field, value = ARGV[pos + 2 * i - 1], ARGV[pos + 2 * i]
  s[field] = value
  fields[#fields + 1] = field
  fields[#fields + 1] = value
end
pos = pos + 1 + 2 * n
redis.call('HSET', KEYS[K_SESSION], unpack(fields))
s.keys = ''

local function flag(k)
  s.keys = s.keys .. string.char(64 + k)
end

for _, k in ipairs(LISTS) do
  n = tonumber(ARGV[pos])
  local first = pos + 1
  while first <= pos + n do
    local last = math.min(first + PUSH_CHUNK - 1, pos + n)
    redis.call('RPUSH', KEYS[k], unpack(ARGV, first, last))
    first = last + 1
  end
  if n > 0 then flag(k) end
  pos = pos + 1 + n
end
for _, k in ipairs(HASHES) do
  n = tonumber(ARGV[pos])
  local first = pos + 1
  while first <= pos + 2 * n do
    local last = math.min(first + 2 * PUSH_CHUNK - 1, pos + 2 * n)
    redis.call('HSET', KEYS[k], unpack(ARGV, first, last))
    first = last + 1
  end
  if n > 0 then flag(k) end
  pos = pos + 1 + 2 * n
end
if ARGV[pos] ~= '' then
  redis.call('SET', KEYS[K_FINALIZED], ARGV[pos])
  flag(K_FINALIZED)
end

redis.call('HSET', KEYS[K_SESSION], 'keys', s.keys)
set_expiry(s, expires_at, now)
count_live(s, 1)
if replaced and ARGV[3] ~= '' then announce({ ARGV[3] }) end
return { 0 }
