-- Pages of lists. Scripts fetch one item more than the page size to tell whether more follow.

-- Cuts the list to the page size; returns the page and 1 when items were cut (more follow), else 0.
local function take_page(items, limit)
  if #items <= limit then return items, 0 end
  for i = #items, limit + 1, -1 do items[i] = nil end
  return items, 1
end
