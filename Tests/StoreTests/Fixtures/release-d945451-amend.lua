-- The second user's run (acting user from $USER, as that release did): an update and a report.
local air = agreements.get("UJI/003/KSDPK/2025")
air:update{ status = "active", stage = "pelaksanaan", pks_starts_on = date("2026-01-05"), pks_ends_on = date("2030-09-30") }
agreements.get("UJI/001/KSDD/2024"):attach{ kind = "laporan_semester", number = "UJI/LAP/001/2026", date = date("2026-07-10") }
return agreements.count{ status = "active" }
