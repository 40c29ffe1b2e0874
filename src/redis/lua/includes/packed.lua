-- A session's fields as one string (docs/decisions/0720). Included with `-- @include "packed"`.
-- @include "constants"

-- `values` (the first `count` of SESSION_FIELDS, false or nil where the hash lacks one) as one string:
-- joined by NUL, '' for a missing field (0720). A value that holds a NUL itself cannot be packed — only
-- the FREE_TEXT_FIELDS may (a scene id is any short text) — so then the fields go as a JSON object,
-- which the reader tells apart by its leading '{'.
local function pack_fields(values, count)
  for i = 1, count do
    if not values[i] then values[i] = '' end
  end
  for _, at in ipairs(FREE_TEXT_FIELDS) do
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
