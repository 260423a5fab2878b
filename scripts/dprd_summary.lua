-- Which agreements need DPRD approval (PP 28/2018 Pasal 6(2)) and where they stand.
-- Usage: sinergi run scripts/dprd_summary.lua
local fmt = require("format")

local rows = {}
for a in agreements.find{} do
  if a.needs_dprd_approval then
    local reasons = {}
    if a.membebani_masyarakat then reasons[#reasons + 1] = "membebani masyarakat" end
    if a.belum_dianggarkan then reasons[#reasons + 1] = "belum dianggarkan" end
    if #reasons == 0 then reasons[1] = "kerja sama luar negeri" end
    rows[#rows + 1] = { a.number, a.kind, a.stage, table.concat(reasons, ", ") }
  end
end
print(fmt.table({ "nomor", "jenis", "tahap", "alasan" }, rows))
return #rows
