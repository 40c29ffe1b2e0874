-- Records a choice made in the current scene. Idempotent by entry id.
-- KEYS: the 9 session keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 entry id, 4 scene_id, 5 choice_id,
--       6 the entry's other fields (JSON object: scene_id, choice_id, label, data), 7 entries kept
-- Returns: {0, entry JSON, version}  recorded
--          {1, entry JSON, version}  this entry id was recorded before; nothing changed
--          {-7, current_scene_id ('' = none)}  scene_id is not the current scene
--          {-1} | {-2, current_version} | {-3, state} | {-4}
-- @include "session"
-- @include "history"

local s, reply = guard_append(ARGV[1], ARGV[2], function () return find_recent_entry(KEYS[K_CHOICES], ARGV[3]) end)
if not s then return reply end
local current = s.current_scene_id or ''
if current == '' or current ~= ARGV[4] then return { -7, current } end
local now = now_ms()
local raw, index = append_entry(KEYS[K_CHOICES], ARGV[3], now, 'made_at', ARGV[6], tonumber(ARGV[7]))
commit(s, now, 'choice.made', cjson.encode({ id = ARGV[3], scene_id = ARGV[4], choice_id = ARGV[5], index = index }))
return { 0, raw, tonumber(s.version) }
