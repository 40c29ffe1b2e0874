-- Enters a scene: appends it to the scene history and makes it the session's current_scene_id in one
-- atomic change, so the current scene is always in the history. Idempotent by entry id.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 entry id, 4 scene_id,
--       5 the entry's other fields (JSON object: scene_id), 6 entries kept
-- Returns: {0, entry JSON, version}  entered
--          {1, entry JSON, version}  this entry id was entered before; nothing changed
--          {-1} | {-2, current_version} | {-3, state} | {-4}
-- @include "session"
-- @include "history"

local s, reply = guard_append(ARGV[1], ARGV[2], function () return find_recent_entry(KEYS[K_SCENES], ARGV[3]) end)
if not s then return reply end
local now = now_ms()
local raw, index = append_entry(KEYS[K_SCENES], ARGV[3], now, 'entered_at', ARGV[5], tonumber(ARGV[6]))
s.current_scene_id = ARGV[4]
redis.call('HSET', KEYS[K_SESSION], 'current_scene_id', ARGV[4])
commit(s, now, 'scene.entered', cjson.encode({ id = ARGV[3], scene_id = ARGV[4], index = index }))
return { 0, raw, tonumber(s.version) }
