-- Narrative contexts: one hash per session, field <context_type> → {"expires_at":<ms>,"updated_at":<ms>,"data":{…}}.
-- Redis ≥ 6.2 has no per-field TTL, so each context carries its own expires_at: an expired context is
-- absent to every read and deleted by the next write. Needs the "session" include.

local function context_expires_at(raw)
  local at = string.match(raw, '^{"expires_at":(%d+)')
  if at then return tonumber(at) end
  return tonumber(cjson.decode(raw).expires_at) or 0
end

local function context_live(raw, now)
  return raw and context_expires_at(raw) > now
end

-- The live contexts as a flat {context_type, JSON, …} list; expired ones are deleted when `prune`.
local function live_contexts(now, prune)
  local flat = redis.call('HGETALL', KEYS[K_NARRATIVE])
  local live = {}
  for i = 1, #flat, 2 do
    if context_live(flat[i + 1], now) then
      live[#live + 1] = flat[i]
      live[#live + 1] = flat[i + 1]
    elseif prune then
      redis.call('HDEL', KEYS[K_NARRATIVE], flat[i])
    end
  end
  return live
end
