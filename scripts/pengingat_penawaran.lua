-- Pengingat jawaban atas surat penawaran: tells the initiating Perangkat Daerah and the Sekretariat
-- TKKSD, N days ahead (default 7), that a partner's time to answer an offer is running out.
--
--   KSDD (Permendagri 22/2020 Pasal 8): the partner region answers within 30 days of the surat
--     penawaran; without an answer a second request (surat permintaan tanggapan) gives 15 days
--     more; still without one, a kabupaten/kota reports to the Gubernur as wakil Pemerintah Pusat
--     (a provinsi to the Menteri).
--   Sinergi (Pasal 54): the kementerian/lembaga answers within 30 days; then a second request,
--     with no further period written.
--   KSDPK: no answer period is set (Pasal 30-31), so there is nothing to remind of.
-- The escalation itself (the second request being due, the report to the Gubernur) is the
-- workflow's timer; this script only warns before the period ends, once per period.
--
-- Periods count from the day after their start (day 1), so day 30 is the start + 30. The start is
-- the partner's receipt as the workflow records it (the day the tanggapan state was entered) when
-- the agreement runs a workflow, else the date of the letter as recorded (a:attach{ kind =
-- "surat_penawaran", date = … }).
--
-- Usage:    sinergi run scripts/pengingat_penawaran.lua [DAYS_BEFORE]     default 7
-- Schedule: schedule { name = "pengingat_penawaran", cron = "0 8 * * *", run = "scripts/pengingat_penawaran.lua",
--                      args = { "7" }, misfire = "once" }
local fmt = require("format")
local pengingat = require("pengingat")

local SKRIP = "scripts/pengingat_penawaran.lua"
local sebelum = pengingat.hari(..., 7, "pengingat_penawaran")

-- The answer periods per kind (Permendagri 22/2020): `jawab` after the offer, `tanggapan` after
-- the second request (nil: none written).
local PERIODE = {
  ksdd = { jawab = 30, tanggapan = 15, pasal = "Permendagri 22/2020 Pasal 8" },
  sinergi = { jawab = 30, pasal = "Permendagri 22/2020 Pasal 54" },
}

local function mitra(a)
  local names = {}
  for _, party in ipairs(a.parties) do names[#names + 1] = party.name end
  return #names > 0 and table.concat(names, ", ") or "mitra"
end

-- When the period runs out (its last day), from what day it counts, and how many days it has. An agreement that runs a workflow is
-- read from it: its current state's deadline (the 30 or 15 days), counted from the day the state
-- was entered — the partner's receipt of the letter as the office recorded it — so the reminder
-- names the very day the workflow's timer acts. While the workflow waits for that receipt, no
-- period runs and nothing is sent. Without a workflow, the letter's recorded date is the start.
local function periode_berjalan(a, surat, n)
  local alur = a:workflow()
  if alur == nil then return pengingat.hari_terakhir(surat.date, n), "tanggal surat " .. fmt.tanggal(surat.date), n end
  local state = workflows.get(alur.name).states[alur.state]
  local deadline = state and state.deadline
  if deadline == nil then return nil end
  local dari = date(alur.since:sub(1, 10))
  local hari = deadline.days or deadline.workdays
  return pengingat.hari_terakhir(dari, hari, deadline.workdays ~= nil), "diterima mitra " .. fmt.tanggal(dari), hari
end

local queued = 0
-- a.stage follows a workflow's sub-states (penawaran_tanggapan has stage penawaran).
for a in agreements.find{ stage = "penawaran" } do
  local periode = PERIODE[a.kind]
  local penawaran = periode and a:document("surat_penawaran")
  if penawaran and penawaran.date then
    -- Which period runs now: the second one once a second request is recorded after the offer.
    local permintaan = periode.tanggapan and a:document("surat_permintaan_tanggapan")
    local fase, surat, n
    if permintaan and permintaan.date and permintaan.date >= penawaran.date then
      fase, surat, n = "tanggapan", permintaan, periode.tanggapan
    else
      fase, surat, n = "jawab", penawaran, periode.jawab
    end
    local terakhir, sejak
    terakhir, sejak, n = periode_berjalan(a, surat, n)
    local sisa = terakhir and (terakhir - today())
    -- Within the last `sebelum` days of the period, up to its last day; after it, the workflow acts.
    if sisa and sisa >= 0 and sisa <= sebelum then
      local subjek = ("[Sinergi] Batas jawaban penawaran %s: %s"):format(a.number, fmt.tanggal(terakhir))
      local isi
      if fase == "jawab" then
        isi = ("Surat penawaran nomor %s tanggal %s untuk kerja sama \"%s\" (%s) belum berbalas. Batas %d hari "
          .. "bagi %s untuk menjawab (sejak %s) berakhir pada %s, %d hari lagi.\n\nBila sampai batas itu belum ada "
          .. "jawaban, siapkan surat permintaan tanggapan kedua (%s)."):format(
          surat.number or "-", fmt.tanggal(surat.date), a.title, a.number, n, mitra(a), sejak, fmt.tanggal(terakhir), sisa,
          periode.pasal)
      else
        isi = ("Surat permintaan tanggapan nomor %s tanggal %s untuk kerja sama \"%s\" (%s) belum berbalas. Batas "
          .. "%d hari bagi %s (sejak %s) berakhir pada %s, %d hari lagi.\n\nBila tetap tidak ada jawaban, Kepala "
          .. "Daerah melaporkannya kepada Gubernur sebagai wakil Pemerintah Pusat (%s); alur kerja Sinergi membuka "
          .. "langkah itu sesudah batas berakhir."):format(
          surat.number or "-", fmt.tanggal(surat.date), a.title, a.number, n, mitra(a), sejak, fmt.tanggal(terakhir), sisa,
          periode.pasal)
      end
      isi = isi .. ("\n\nPerangkat Daerah pemrakarsa: %s."):format(a.lead_agency) .. pengingat.penutup(SKRIP)
      local kunci = ("penawaran:%s:%d:%s"):format(fase, a.id, tostring(terakhir))
      queued = queued + pengingat.kirim({ pengingat.pd(a), "role:sekretariat" }, kunci, subjek, isi, a)
    end
  end
end
print(("pengingat_penawaran: %d pesan diantrekan (per %s, %d hari sebelum batas)"):format(queued, tostring(today()), sebelum))
return queued
