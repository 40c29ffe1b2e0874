-- Enters a scene: appends it to the scene history and makes it the session's current_scene_id in one
-- atomic change, so the current scene is always in the history. A repeated Idempotency-Key replays.
-- KEYS: the session's keys (see includes/session.lua)
-- ARGV: 1 owner ('' = any), 2 if-match version ('' = none), 3 entry id, 4 scene_id,
--       5 the entry's other fields (JSON object: scene_id), 6 entries kept,
--       7 idempotency scope digest ('' = no key), 8 request fingerprint
-- Returns: appended_reply: '0,<version>,<entry>' entered, '1,<version>,<entry>' replayed
--          or {E_SESSION_NOT_FOUND} | {E_VERSION_CONFLICT, version} | {E_NOT_WRITABLE, state} | {E_FINALIZED}
--          | {E_IDEMPOTENCY_KEY_REUSED}
-- @include "session"
-- @include "idempotency"
-- @include "history"

local now = now_ms()
local s, reply = guard_idempotent_write(ARGV[1], ARGV[2], ARGV[7], ARGV[8], now, {})
if not s then return reply end
local raw, index = append_entry(s, K_SCENES, ARGV[3], now, 'entered_at', ARGV[5], tonumber(ARGV[6]))
commit(s, now, { { EV_SCENE_ENTERED, '"' .. ARGV[3] .. '",' .. cjson.encode(ARGV[4]) .. ',' .. int_str(index) } }, { 'current_scene_id', ARGV[4] })
idempotent_store(s, ARGV[7], ARGV[8], now, raw)
return appended_reply(0, s.version, raw)
