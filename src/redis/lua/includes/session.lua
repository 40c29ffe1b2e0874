-- Shared by every session script. Included with `-- @include "session"`.
-- KEYS, in the order keys.sessionKeys(id) builds them:
--   1 session hash      2 steps hash        3 narrative hash   4 scenes list   5 choices list
--   6 messages zset     7 message_docs hash 8 events stream    9 finalized string
-- Return codes (mapped to HTTP problems in src/redis/script-errors.ts):
--   -1 session not found, or not the caller's     -2 version conflict: {-2, current_version}
--   -3 not writable in its state: {-3, state}     -4 session finalized
local K_SESSION, K_STEPS, K_NARRATIVE, K_SCENES, K_CHOICES = 1, 2, 3, 4, 5
local K_MESSAGES, K_MESSAGE_DOCS, K_EVENTS, K_FINALIZED = 6, 7, 8, 9
local EVENTS_RETAINED = 1000

local E_NOT_FOUND, E_VERSION, E_NOT_WRITABLE, E_FINALIZED = -1, -2, -3, -4

local function int_str(n)
  return string.format('%d', n)
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The session as a table of its hash fields; nil when absent or when `owner` is set and is not its user.
local function load_session(owner)
  local flat = redis.call('HGETALL', KEYS[K_SESSION])
  if #flat == 0 then return nil end
  local s = {}
  for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
  if owner ~= '' and s.user_id ~= owner then return nil end
  return s
end

local function flatten(s)
  local out = {}
  for k, v in pairs(s) do
    out[#out + 1] = k
    out[#out + 1] = v
  end
  return out
end

local function expire_all(at_ms)
  for i = 1, #KEYS do redis.call('PEXPIREAT', KEYS[i], at_ms) end
end

-- Sliding expiry: now + ttl, never past absolute_expires_at. A finalized session keeps its retention.
local function slide(s, now)
  if s.completed_at ~= nil and s.completed_at ~= '' then return end
  local at = math.min(now + tonumber(s.ttl_seconds) * 1000, tonumber(s.absolute_expires_at))
  s.expires_at = int_str(at)
  redis.call('HSET', KEYS[K_SESSION], 'expires_at', s.expires_at)
  expire_all(at)
end

-- Why a loaded session refuses a write under it (nil when it accepts): finalized, if-match, state.
local function write_refusal(s, if_match)
  if s.state == 'completed' then return { E_FINALIZED } end
  if if_match ~= '' and if_match ~= s.version then return { E_VERSION, tonumber(s.version) } end
  if s.state ~= 'initializing' and s.state ~= 'active' and s.state ~= 'transitioning' then
    return { E_NOT_WRITABLE, s.state }
  end
  return nil
end

-- Checks a write under the session. Returns the session, or nil and the error reply.
local function guard_write(owner, if_match)
  local s = load_session(owner)
  if not s then return nil, { E_NOT_FOUND } end
  local refusal = write_refusal(s, if_match)
  if refusal then return nil, refusal end
  return s
end

local function append_event(s, now, event_type, event_json)
  return redis.call('XADD', KEYS[K_EVENTS], 'MAXLEN', '~', EVENTS_RETAINED, '*',
    'type', event_type, 'version', s.version, 'at', int_str(now), 'data', event_json)
end

-- Records one change, after the script's own writes: version + 1, updated_at, an event, sliding expiry
-- (which also gives any key the script just created its TTL).
local function commit(s, now, event_type, event_json)
  s.version = int_str(redis.call('HINCRBY', KEYS[K_SESSION], 'version', 1))
  s.updated_at = int_str(now)
  redis.call('HSET', KEYS[K_SESSION], 'updated_at', s.updated_at)
  append_event(s, now, event_type, event_json)
  slide(s, now)
end
