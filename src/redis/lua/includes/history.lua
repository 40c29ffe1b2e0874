-- Append-only histories of a session (scenes, choices). Each entry is a JSON object that this file
-- writes as {"index":<n>,"id":"<id>",…} so its index is read without decoding it (entries written in
-- another key order, e.g. by an import, are decoded instead). Needs the "session" include.

local function entry_index(raw)
  local index = string.match(raw, '^{"index":(%d+),')
  if index then return tonumber(index) end
  return tonumber(cjson.decode(raw).index)
end

-- Appends an entry and keeps only the newest `keep`. The index continues from the newest entry, so it
-- counts from the first entry ever and stays stable when older entries are trimmed.
-- `fields_json` is a non-empty JSON object of the entry's other fields.
local function append_entry(s, k, id, now, time_field, fields_json, keep)
  local last = redis.call('LINDEX', KEYS[k], -1)
  local index = 0
  if last then index = entry_index(last) + 1 end
  local raw = '{"index":' .. int_str(index) .. ',"id":"' .. id .. '","' .. time_field .. '":' .. int_str(now) ..
    ',' .. string.sub(fields_json, 2)
  push_capped(s, k, keep, raw)
  return raw, index
end
