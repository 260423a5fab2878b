-- Pengingat laporan semester: the Perangkat Daerah pemrakarsa reports on each agreement every
-- semester to the Kepala Daerah (Permendagri 22/2020 Pasal 17 for a KSDD, Pasal 39 for a KSDPK;
-- for a Sinergi the TKKSD reports every 6 months, Pasal 60), and the TKKSD compiles the semester
-- report (Pasal 46(2) huruf j). Run in January and July, this script
--   1. reminds the lead agency of every agreement in force to send its report on the semester
--      just ended (January: July–December of last year; July: January–June), and
--   2. sends the TKKSD one roll-up: how many agreements there are per kind and status.
-- Each message goes out once per semester (the semester is in its key), so a second run in the
-- same month — or a run after downtime — adds nothing. Run by hand in another month, it reminds
-- of the last semester that has ended.
--
-- Usage:    sinergi run scripts/pengingat_laporan.lua
-- Schedule: schedule { name = "pengingat_laporan", cron = "0 8 1 1,7 *", run = "scripts/pengingat_laporan.lua",
--                      misfire = "once" }
local pengingat = require("pengingat")

local SKRIP = "scripts/pengingat_laporan.lua"

-- The semester that ended last: in January–June, the second semester of last year.
local t = today()
local tahun, semester = t.year, 1
if t.month <= 6 then tahun, semester = t.year - 1, 2 end
local periode = ("%d-S%d"):format(tahun, semester)
local rentang = semester == 1 and ("Januari–Juni %d"):format(tahun) or ("Juli–Desember %d"):format(tahun)
local romawi = semester == 1 and "I" or "II"

-- Where each kind's reporting duty is written.
local DASAR = {
  ksdd = "Permendagri 22/2020 Pasal 17",
  ksdpk = "Permendagri 22/2020 Pasal 39",
  sinergi = "Permendagri 22/2020 Pasal 60",
  ksdpl = "Permendagri 25/2020 Pasal 35",
  ksdll = "Permendagri 25/2020 Pasal 35",
}
-- What a report contains at least (Pasal 17(5), 39(5)).
local ISI_LAPORAN = "judul kerja sama, bentuk naskah, para pihak, maksud dan tujuan, objek, jangka waktu, "
  .. "permasalahan, upaya penyelesaian, dan hal lain yang disepakati"

-- 1. One reminder per agreement in force to its lead agency.
local queued, diingatkan = 0, 0
for a in agreements.find{ status = "active" } do
  local subjek = ("[Sinergi] Laporan semester %s %d: %s"):format(romawi, tahun, a.number)
  local isi = ("Mohon Perangkat Daerah pemrakarsa (%s) menyampaikan laporan pelaksanaan kerja sama \"%s\" "
    .. "(%s) untuk semester %s tahun %d (%s) kepada Kepala Daerah melalui Sekretariat TKKSD (%s).\n\n"
    .. "Laporan memuat paling sedikit: %s.\n\nSetelah laporan diterima, Sekretariat mencatatnya sebagai dokumen "
    .. "laporan_semester pada kerja sama ini."):format(
    a.lead_agency, a.title, a.number, romawi, tahun, rentang, DASAR[a.kind] or DASAR.ksdd, ISI_LAPORAN) .. pengingat.penutup(SKRIP)
  queued = queued + pengingat.kirim({ pengingat.pd(a) }, ("laporan:%d:%s"):format(a.id, periode), subjek, isi, a)
  diingatkan = diingatkan + 1
end

-- 2. The TKKSD's roll-up: agreements per kind and status (voided records are not counted).
local KINDS = { "ksdd", "ksdpk", "sinergi", "ksdpl", "ksdll" }
local STATUSES = { "active", "draft", "expired", "terminated" }
local LABEL = { active = "aktif", draft = "dalam proses", expired = "berakhir", terminated = "diakhiri" }
local lines = {}
for _, kind in ipairs(KINDS) do
  local parts, total = {}, 0
  for _, status in ipairs(STATUSES) do
    local n = agreements.count{ kind = kind, status = status }
    if n > 0 then parts[#parts + 1] = ("%d %s"):format(n, LABEL[status]) end
    total = total + n
  end
  if total > 0 then lines[#lines + 1] = ("- %s: %d (%s)"):format(kind:upper(), total, table.concat(parts, ", ")) end
end
if #lines == 0 then lines[1] = "- belum ada kerja sama tercatat" end
local subjek = ("[Sinergi] Rekap kerja sama untuk laporan semester %s %d"):format(romawi, tahun)
local isi = ("Rekap register kerja sama per %s, untuk laporan semester %s tahun %d (%s) TKKSD kepada Kepala Daerah "
  .. "(Permendagri 22/2020 Pasal 46 ayat (2) huruf j):\n\n%s\n\nPengingat laporan semester dikirim kepada Perangkat "
  .. "Daerah pemrakarsa untuk %d kerja sama yang aktif."):format(
  tostring(t), romawi, tahun, rentang, table.concat(lines, "\n"), diingatkan) .. pengingat.penutup(SKRIP)
queued = queued + pengingat.kirim({ "role:tkksd" }, "laporan:tkksd:" .. periode, subjek, isi)

print(("pengingat_laporan: %d pesan diantrekan (semester %s)"):format(queued, periode))
return queued
