-- A session's fields as one string (docs/decisions/0720). Included with `-- @include "packed"`.
-- @include "constants"

-- `values` (the first `count` of SESSION_FIELDS, each a string, '' for a field the hash lacks) as one
-- string: joined by NUL (0720). A value that holds a NUL itself cannot be packed — only the
-- FREE_TEXT_FIELDS may (a scene id is any short text) — so then the fields go as a JSON object, which
-- the reader tells apart by its leading '{'.
local function pack_strings(values, count)
  for i = 1, #FREE_TEXT_FIELDS do
    local at = FREE_TEXT_FIELDS[i]
    if at <= count and string.find(values[at], '\0', 1, true) then
      local named = {}
      for j = 1, count do
        if values[j] ~= '' then named[SESSION_FIELDS[j]] = values[j] end
      end
      return cjson.encode(named)
    end
  end
  return table.concat(values, '\0', 1, count)
end

-- As pack_strings, where a value may be false or nil (a reply of HMGET, a field the hash lacks).
local function pack_fields(values, count)
  for i = 1, count do
    if not values[i] then values[i] = '' end
  end
  return pack_strings(values, count)
end
