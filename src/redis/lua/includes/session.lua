-- Shared by every session script. Included with `-- @include "session"`, before any other include.
-- The script reaches the session's keys as KEYS[K_SESSION], KEYS[K_STEPS] …, in SESSION_KEY_TYPES order
-- (src/redis/keys.ts; the K_* constants are generated from it): the session hash, its steps, narrative,
-- scenes, choices, messages, events and finalized keys, its idempotency records, the slot's expiry
-- index and live counters, and the session's change channel. On a Cluster the caller passes all of
-- them (keys.sessionKeys(id)), so Redis routes and checks every key before the script runs, also while
-- a slot migrates. Where Redis is one server it passes only SCRIPT_KEY_TYPES (keys.scriptKeys(id)): the
-- session hash and the slot's expiry index and live counters; the others carry the hash's tag and are
-- named here, by NAMED_SESSION_KEYS, which src/redis/scripts.ts generates from keys.ts (0719).
-- Error codes E_* are generated from src/redis/script-errors.ts, event codes EV_* from src/domain/events.ts.
--
-- Expiry (docs/decisions/0712): a session is expired from `expires_at` on — every script treats it as
-- absent — while its keys live EXPIRY_GRACE_MS longer, so that the expiry sweep can claim it (announce
-- session.expired, count it, drop it from its user's index) exactly once before Redis deletes it.
-- @include "constants"
-- @include "time"
-- @include "packed"

-- The keys as passed. A script that takes more keys than the session's reads them here, after
-- SCRIPT_KEY_COUNT: only where Redis is one server (a Cluster passes exactly the session's keys, and the
-- count is how the two are told apart).
local PASSED_KEYS = KEYS
local KEYS = KEYS
if #PASSED_KEYS ~= SESSION_KEY_COUNT then KEYS = NAMED_SESSION_KEYS(PASSED_KEYS) end

-- Whether a script answers the session whose user_id and expires_at these are (false or nil: the hash
-- is absent): it exists, it is `owner`'s unless owner is '', and it has not expired unless `with_expired`
-- (the sweep's claim).
local function visible(user_id, expires_at, owner, with_expired)
  if not expires_at then return false end
  if owner ~= '' and user_id ~= owner then return false end
  return with_expired or tonumber(expires_at) > now_ms()
end

-- The session as a table of its hash fields; nil when not visible().
local function load_session(owner, with_expired)
  local flat = redis.call('HGETALL', KEYS[K_SESSION])
  local s = {}
  for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end
  if not visible(s.user_id, s.expires_at, owner, with_expired) then return nil end
  return s
end

-- The slot's live-session counters: by kind (k:<kind>) and by state (s:<state>). They outlive the
-- slot's latest session (file_expiry extends them); one that a write creates gets such a TTL at once.
local function keep_live_counters(s)
  if redis.call('PTTL', KEYS[K_LIVE]) < 0 then
    redis.call('PEXPIREAT', KEYS[K_LIVE], math.max(tonumber(s.expires_at), now_ms()) + EXPIRY_GRACE_MS + SLOT_KEYS_AHEAD_MS)
  end
end

local function count_live(s, delta)
  redis.call('HINCRBY', KEYS[K_LIVE], 'k:' .. s.kind, delta)
  redis.call('HINCRBY', KEYS[K_LIVE], 's:' .. s.state, delta)
  keep_live_counters(s)
end

local function move_live_state(s, from, to)
  if from == to then return end
  redis.call('HINCRBY', KEYS[K_LIVE], 's:' .. from, -1)
  redis.call('HINCRBY', KEYS[K_LIVE], 's:' .. to, 1)
  keep_live_counters(s)
end

-- Every field of the session hash as one JSON object (backups: the hash is restored as it was).
local function session_json(s)
  return cjson.encode(s)
end

-- The session as one string: its SESSION_FIELDS values (generated from src/domain/session-record.ts),
-- packed. One bulk string in the reply instead of two per field (decoding a reply costs the client per
-- element), and cheaper than cjson on both sides (0720).
local function session_packed(s)
  return pack_strings(SESSION_FIELD_VALUES(s), #SESSION_FIELDS)
end

-- The table's fields as a flat {name, value, …} list (for HSET). Counted, not `#out + 1`: Lua 5.1 finds
-- a table's length by a search on every use.
local function flatten(s)
  local out, n = {}, 0
  for k, v in pairs(s) do
    out[n + 1] = k
    out[n + 2] = v
    n = n + 2
  end
  return out
end

-- Which of the session's other keys may exist: the `keys` field holds one letter per key index
-- (string.char(64 + index)), added the first time a script writes that key. Expiry is set only on
-- these (a key that was emptied and removed by Redis costs a no-op, never a missing TTL).
-- After a write to KEYS[k]: flags it, and gives it the session's expiry unless `created` is false (the
-- write did not create the key, which therefore keeps its TTL).
local function key_flag(k)
  return string.char(64 + k)
end

local function wrote(s, k, created)
  local flag = key_flag(k)
  local present = s.keys or ''
  if not string.find(present, flag, 1, true) then
    s.keys = present .. flag
    redis.call('HSET', KEYS[K_SESSION], 'keys', s.keys)
    created = true
  end
  if created ~= false then redis.call('PEXPIREAT', KEYS[k], tonumber(s.expires_at) + EXPIRY_GRACE_MS) end
end

-- Appends to the list KEYS[k], keeps its newest `keep` entries, and gives a new list the session's expiry.
-- The event log keeps at least `keep`: it is trimmed once it is EVENTS_TRIM_SLACK past it.
local function push_capped(s, k, keep, ...)
  local values = { ... }
  local length = redis.call('RPUSH', KEYS[k], unpack(values))
  local limit = keep
  if k == K_EVENTS then limit = keep + EVENTS_TRIM_SLACK end
  if length > limit then redis.call('LTRIM', KEYS[k], -keep, -1) end
  wrote(s, k, length == #values)
end

-- Gives the session's keys the expiry `at` (+ the grace) that s.expires_at holds and the hash already
-- stores, and files it in the slot's expiry index.
local function file_expiry(s, at, now)
  local gone = at + EXPIRY_GRACE_MS
  redis.call('PEXPIREAT', KEYS[K_SESSION], gone)
  local present = s.keys or ''
  for i = 1, #present do redis.call('PEXPIREAT', KEYS[string.byte(present, i) - 64], gone) end
  redis.call('ZADD', KEYS[K_EXPIRY], at, s.id)
  -- The slot's index and counters outlive their latest session: extended, they get SLOT_KEYS_AHEAD_MS more.
  local ttl = redis.call('PTTL', KEYS[K_EXPIRY])
  if ttl < 0 or ttl < gone - now then
    redis.call('PEXPIREAT', KEYS[K_EXPIRY], gone + SLOT_KEYS_AHEAD_MS)
    redis.call('PEXPIREAT', KEYS[K_LIVE], gone + SLOT_KEYS_AHEAD_MS)
  end
end

-- Moves the expiry of the session to `at` (its keys to `at` + the grace), and re-files it in the
-- slot's expiry index.
local function set_expiry(s, at, now)
  s.expires_at = int_str(at)
  redis.call('HSET', KEYS[K_SESSION], 'expires_at', s.expires_at)
  file_expiry(s, at, now)
end

-- Where sliding puts the expiry now: now + ttl, never past absolute_expires_at.
local function slid_expiry(s, now)
  return math.min(now + tonumber(s.ttl_seconds) * 1000, tonumber(s.absolute_expires_at))
end

-- Sliding expiry (docs/decisions/0701): where it moves the expiry now, or nil when it stays: it moves
-- only by at least 1 % of the TTL (at most SLIDE_MAX_LAG_MS), so most reads write nothing. A finalized
-- session keeps its retention. `s` is a loaded session, or any table with these fields.
local function slide_target(s, now)
  if s.completed_at and s.completed_at ~= '' then return nil end
  local target = slid_expiry(s, now)
  if target - tonumber(s.expires_at) >= math.min(SLIDE_MAX_LAG_MS, tonumber(s.ttl_seconds) * 10) then return target end
  return nil
end

local function slide(s, now)
  local target = slide_target(s, now)
  if target then set_expiry(s, target, now) end
end

-- The session's SESSION_FIELDS values by position (false where the hash lacks one); nil when not
-- visible(). For a read that answers the session as it is: HMGET of these, without a table by name,
-- costs Redis less than load_session.
local function load_fields(owner)
  local v = redis.call('HMGET', KEYS[K_SESSION], unpack(SESSION_FIELDS))
  if not visible(v[R_USER_ID], v[R_EXPIRES_AT], owner) then return nil end
  return v
end

-- Why a loaded session refuses a write under it (nil when it accepts): finalized, if-match, state.
local function write_refusal(s, if_match)
  if s.state == 'completed' then return { E_FINALIZED } end
  if if_match ~= '' and if_match ~= s.version then return { E_VERSION_CONFLICT, tonumber(s.version) } end
  if s.state ~= 'initializing' and s.state ~= 'active' and s.state ~= 'transitioning' then
    return { E_NOT_WRITABLE, s.state }
  end
  return nil
end

-- The session as a table of the fields a write reads: those the helpers here use (visible, write_refusal,
-- wrote, commit, the expiry and the live counters) and the script's `extra` names; nil when not visible().
-- HMGET of these costs Redis less than HGETALL of every field, metadata included. A loaded field the hash
-- lacks is false; reading a field that was not loaded raises an error instead of answering nil, so a
-- missing name fails every test of its path. The table is made by its constructor, whole: filled field
-- by field, Lua would grow it four times.
local function load_for_write(owner, extra)
  local v = redis.call('HMGET', KEYS[K_SESSION], 'id', 'user_id', 'kind', 'state', 'version', 'expires_at',
    'absolute_expires_at', 'ttl_seconds', 'completed_at', 'keys', unpack(extra))
  if not visible(v[2], v[6], owner) then return nil end
  local s = { id = v[1], user_id = v[2], kind = v[3], state = v[4], version = v[5], expires_at = v[6],
    absolute_expires_at = v[7], ttl_seconds = v[8], completed_at = v[9], keys = v[10] }
  for i = 1, #extra do s[extra[i]] = v[10 + i] end
  return setmetatable(s, { __index = function (_, name) error('session field ' .. tostring(name) .. ' was not loaded') end })
end

-- Checks a write under the session (loading its fields as load_for_write). Returns the session, or nil
-- and the error reply.
local function guard_write(owner, if_match, extra)
  local s = load_for_write(owner, extra)
  if not s then return nil, { E_SESSION_NOT_FOUND } end
  local refusal = write_refusal(s, if_match)
  if refusal then return nil, refusal end
  return s
end

-- One event as the log keeps it and the channel carries it: [version, at_ms, code, …values], with the
-- code EV_<TYPE> and the payload's values in the order src/domain/events.ts gives (EVENT_FIELDS).
-- `values` is those values as comma-separated JSON ('' for none): never step data, content or metadata.
local function encode_event(version, at, code, values)
  local head = '[' .. version .. ',' .. int_str(at) .. ',' .. code
  if values == '' then return head .. ']' end
  return head .. ',' .. values .. ']'
end

-- Announces events on the session's channel (one message per change, events separated by newlines).
local function announce(encoded)
  redis.call(PUBLISH_COMMAND, KEYS[K_CHANGES], table.concat(encoded, '\n'))
end

-- Records one change, after the script's own writes: version + 1, updated_at and the session fields
-- the change sets (`fields`, a flat {name, value, …} list, or nil), its events in the capped log and on
-- the change channel, and the sliding expiry. `events` is a list of {code, values}.
local function commit(s, now, events, fields)
  s.version = int_str(tonumber(s.version) + 1)
  s.updated_at = int_str(now)
  local set = { 'version', s.version, 'updated_at', s.updated_at }
  if fields then
    for i = 1, #fields, 2 do
      s[fields[i]] = fields[i + 1]
      set[#set + 1] = fields[i]
      set[#set + 1] = fields[i + 1]
    end
  end
  redis.call('HSET', KEYS[K_SESSION], unpack(set))
  local encoded = {}
  for i = 1, #events do encoded[i] = encode_event(s.version, now, events[i][1], events[i][2]) end
  slide(s, now)
  push_capped(s, K_EVENTS, EVENTS_RETAINED, unpack(encoded))
  announce(encoded)
end

-- Removes the session and everything under it, and announces `code` (EV_SESSION_DELETED or
-- EV_SESSION_EXPIRED) with the version after the last one. The log goes with the session.
local function remove_session(s, now, code)
  redis.call('DEL', KEYS[K_SESSION], KEYS[K_STEPS], KEYS[K_NARRATIVE], KEYS[K_SCENES], KEYS[K_CHOICES],
    KEYS[K_MESSAGES], KEYS[K_EVENTS], KEYS[K_FINALIZED], KEYS[K_IDEMPOTENCY])
  redis.call('ZREM', KEYS[K_EXPIRY], s.id)
  count_live(s, -1)
  announce({ encode_event(int_str(tonumber(s.version) + 1), now, code, '') })
end
