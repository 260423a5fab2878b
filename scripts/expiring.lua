-- Agreements whose term ends within N days (default 90): a reminder list for the Bagian
-- Pemerintahan. Samarinda's system reminds at 90/60/30/7 days (domain.md 5.4, a practice).
-- Usage: sinergi run scripts/expiring.lua [DAYS]
local fmt = require("format")

local horizon = tonumber(... or "90") or error("DAYS must be a number, got " .. tostring(...))
-- expires_before is exclusive: the day after the horizon, so an agreement ending on day N counts.
local limit = today() + days(horizon + 1)
local rows = {}
for a in agreements.find{ status = "active", expires_before = limit } do
  if a.ends_on >= today() then
    rows[#rows + 1] = { a.number, a.title, a.lead_agency, tostring(a.ends_on), a.ends_on - today() }
  end
end
table.sort(rows, function(x, y) return x[5] < y[5] end)
print(("Kerja sama yang berakhir dalam %d hari (per %s):"):format(horizon, tostring(today())))
print(fmt.table({ "nomor", "judul", "perangkat daerah", "berakhir", "sisa hari" }, rows))
return #rows
