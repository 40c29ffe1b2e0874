-- Deletes one narrative context, or all of them. Deleting all is one change (one version, one event)
-- when any live context existed, and no change otherwise.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 context_type ('' = all)
-- Returns: {0, contexts deleted, version}
--          or {E_NOT_FOUND} the one context named is absent or expired
--          | {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
-- @include "session"
-- @include "narrative"

local s, err = guard_write(ARGV[1], ARGV[2], {})
if not s then return err end
local now = now_ms()
local live = live_contexts(now, true)
local deleted = {}
if ARGV[3] == '' then
  for i = 1, #live, 2 do deleted[#deleted + 1] = live[i] end
  if #deleted == 0 then
    slide(s, now)
    return { 0, 0, tonumber(s.version) }
  end
  redis.call('DEL', KEYS[K_NARRATIVE])
else
  if redis.call('HDEL', KEYS[K_NARRATIVE], ARGV[3]) == 0 then return { E_NOT_FOUND } end
  deleted[1] = ARGV[3]
end
commit(s, now, { { EV_NARRATIVE_UPDATED, '"deleted",' .. cjson.encode(deleted) } })
return { 0, #deleted, tonumber(s.version) }
