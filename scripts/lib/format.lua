-- Small text helpers for scripts: aligned tables, rupiah amounts and dates written out in
-- Indonesian.
local M = {}

local BULAN = { "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                "Oktober", "November", "Desember" }

--- date("2027-04-16") -> "16 April 2027" (as a letter writes it).
function M.tanggal(d)
  return ("%d %s %d"):format(d.day, BULAN[d.month], d.year)
end

--- An aligned text table from a header row and rows of cells (any values; tostring'd).
function M.table(header, rows)
  local widths = {}
  for i, cell in ipairs(header) do widths[i] = utf8.len(tostring(cell)) or #tostring(cell) end
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row) do
      local n = utf8.len(tostring(cell)) or #tostring(cell)
      if n > (widths[i] or 0) then widths[i] = n end
    end
  end
  local function line(row)
    local cells = {}
    for i = 1, #header do
      local text = tostring(row[i] == nil and "" or row[i])
      cells[i] = text .. string.rep(" ", widths[i] - (utf8.len(text) or #text))
    end
    return (table.concat(cells, "  "):gsub("%s+$", ""))
  end
  local out = { line(header) }
  for _, row in ipairs(rows) do out[#out + 1] = line(row) end
  out[#out + 1] = ("(%d rows)"):format(#rows)
  return table.concat(out, "\n")
end

--- 150000000 -> "Rp150.000.000"
function M.rupiah(amount)
  local text = tostring(math.tointeger(amount) or amount)
  local grouped = text:reverse():gsub("(%d%d%d)", "%1."):reverse():gsub("^%.", "")
  return "Rp" .. grouped
end

return M
