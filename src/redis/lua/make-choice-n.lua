-- Records a choice made in the current scene. A repeated Idempotency-Key replays.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 entry id, 4 scene_id, 5 choice_id,
--       6 the entry's other fields (JSON object: scene_id, choice_id, label, data), 7 entries kept,
--       8 idempotency scope digest ('' = no key), 9 request fingerprint
-- Returns: appended_reply: '0,<version>,<entry>' recorded, '1,<version>,<entry>' replayed
--          or {E_SCENE_MISMATCH, current_scene_id ('' = none)}
--          | {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
--          | {E_IDEMPOTENCY_KEY_REUSED}
-- @include "session"
-- @include "idempotency"
-- @include "history"

local now = now_ms()
local s, reply = guard_idempotent_write(ARGV[1], ARGV[2], ARGV[8], ARGV[9], now, { 'current_scene_id' })
if not s then return reply end
local current = s.current_scene_id or ''
if current == '' or current ~= ARGV[4] then return { E_SCENE_MISMATCH, current } end
local raw, index = append_entry(s, K_CHOICES, ARGV[3], now, 'made_at', ARGV[6], tonumber(ARGV[7]))
commit(s, now, { { EV_CHOICE_MADE, '"' .. ARGV[3] .. '",' .. cjson.encode(ARGV[4]) .. ',' .. cjson.encode(ARGV[5]) .. ',' .. int_str(index) } })
idempotent_store(s, ARGV[8], ARGV[9], now, raw)
return appended_reply(0, s.version, raw)
