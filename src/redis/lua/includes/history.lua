-- Append-only histories of a session (scenes, choices). Each entry is a JSON object that this file
-- writes as {"index":<n>,"id":"<id>",…} so its index and id are read without decoding it (entries
-- written in another key order, e.g. by an import, are decoded instead).
-- Needs the "session" include.
local HISTORY_REPLAY_WINDOW = 200

local function entry_head(raw)
  local index, id = string.match(raw, '^{"index":(%d+),"id":"([^"]*)"')
  if index then return tonumber(index), id end
  local doc = cjson.decode(raw)
  return tonumber(doc.index), doc.id
end

-- The entry with this id among the newest HISTORY_REPLAY_WINDOW entries, or nil: a retried append
-- (same id) finds what its first attempt stored instead of appending twice.
local function find_recent_entry(key, id)
  local recent = redis.call('LRANGE', key, -HISTORY_REPLAY_WINDOW, -1)
  for i = #recent, 1, -1 do
    local _, entry_id = entry_head(recent[i])
    if entry_id == id then return recent[i] end
  end
  return nil
end

-- The checks of an append that may be a retry. `find_stored()` returns what an earlier attempt with the
-- same id stored, or nil. Returns the session, or nil and the reply to give: {1, stored, version} for a
-- retry (before the state and if-match checks, which the first attempt passed), else the guard's error.
local function guard_append(owner, if_match, find_stored)
  local s = load_session(owner)
  if not s then return nil, { E_NOT_FOUND } end
  local stored = find_stored()
  if stored then return nil, { 1, stored, tonumber(s.version) } end
  return guard_write(owner, if_match)
end

-- Appends an entry and keeps only the newest `keep`. The index continues from the newest entry, so it
-- counts from the first entry ever and stays stable when older entries are trimmed.
-- `fields_json` is a non-empty JSON object of the entry's other fields.
local function append_entry(key, id, now, time_field, fields_json, keep)
  local last = redis.call('LINDEX', key, -1)
  local index = 0
  if last then index = entry_head(last) + 1 end
  local raw = '{"index":' .. int_str(index) .. ',"id":"' .. id .. '","' .. time_field .. '":' .. int_str(now) ..
    ',' .. string.sub(fields_json, 2)
  redis.call('RPUSH', key, raw)
  redis.call('LTRIM', key, -keep, -1)
  return raw, index
end
