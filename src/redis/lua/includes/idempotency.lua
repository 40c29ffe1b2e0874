-- Idempotency-Key records of requests under a session, kept in the session's own hash
-- KEYS[K_IDEMPOTENCY] (field: scope digest → '<expires_at_ms>|<fingerprint>|<version>|<response>'),
-- so that a request and its record are one atomic change and the record goes with the session.
-- Needs the "session" include.

-- What an appending write answers: '<0 appended | 1 replayed>,<version>,<what is stored>' as one bulk
-- string, which the client decodes for a fraction of what an array costs it (0720).
local function appended_reply(replayed, version, stored)
  return replayed .. ',' .. version .. ',' .. stored
end

-- The stored reply for `digest` ('' = no key): nil when there is none (or it lapsed), {E_IDEMPOTENCY_KEY_REUSED}
-- when the key came with another request, else appended_reply(1, version, response).
local function idempotent_replay(digest, fingerprint, now)
  if digest == '' then return nil end
  local record = redis.call('HGET', KEYS[K_IDEMPOTENCY], digest)
  if not record then return nil end
  local expires_at, stored_fingerprint, version, response = string.match(record, '^(%d+)|([^|]*)|(%d+)|(.*)$')
  if tonumber(expires_at) <= now then
    redis.call('HDEL', KEYS[K_IDEMPOTENCY], digest)
    return nil
  end
  if stored_fingerprint ~= fingerprint then return { E_IDEMPOTENCY_KEY_REUSED } end
  return appended_reply(1, version, response)
end

-- Keeps the reply of a request made with an Idempotency-Key (nothing when `digest` is '').
local function idempotent_store(s, digest, fingerprint, now, response)
  if digest == '' then return end
  redis.call('HSET', KEYS[K_IDEMPOTENCY], digest,
    int_str(now + IDEMPOTENCY_TTL_MS) .. '|' .. fingerprint .. '|' .. s.version .. '|' .. response)
  if redis.call('HLEN', KEYS[K_IDEMPOTENCY]) > IDEMPOTENCY_PRUNE_ABOVE then
    local flat = redis.call('HGETALL', KEYS[K_IDEMPOTENCY])
    for i = 1, #flat, 2 do
      if tonumber(string.match(flat[i + 1], '^(%d+)')) <= now then redis.call('HDEL', KEYS[K_IDEMPOTENCY], flat[i]) end
    end
  end
  wrote(s, K_IDEMPOTENCY)
end

-- The checks of a write that may be a replay: the session, then the idempotency record (before the
-- state and if-match checks, which the first attempt passed), then the write guard.
-- Returns the session (the fields load_for_write loads with `extra`), or nil and the reply to give.
local function guard_idempotent_write(owner, if_match, digest, fingerprint, now, extra)
  local s = load_for_write(owner, extra)
  if not s then return nil, { E_SESSION_NOT_FOUND } end
  local replay = idempotent_replay(digest, fingerprint, now)
  if replay then return nil, replay end
  local refusal = write_refusal(s, if_match)
  if refusal then return nil, refusal end
  return s
end
