-- Pengingat persetujuan DPRD: tells the Sekretariat, N days ahead (default 7), that a request for
-- DPRD approval is about to be deemed approved because the DPRD has not taken a position within
-- 45 days (Permendagri 22/2020 Pasal 12(4) for a KSDD, 34(6) for a KSDPK, 56(6) for a Sinergi).
-- Foreign cooperation counts 45 hari kerja (PP 28/2018 Pasal 30(4); Permendagri 25/2020 Pasal 17).
-- The deemed approval itself is the workflow's timer; this is only the warning before it.
--
-- The period runs from the date of the request as recorded (a:attach{ kind = "surat_permohonan_dprd",
-- date = … }, the date the DPRD received it), as the workflows' DPRD step counts it. The law says
-- "hari" without "kerja" and does not say whether the day of receipt counts (domain.md 4.3,
-- UNCONFIRMED): the workspace decides once, in sinergi.lua's workflows = { dprd_days =,
-- dprd_first_day = }, and this script reads the same settings (workflows.settings()), so the
-- warning names the day the workflow's timer acts. Arguments:
--   DAYS_BEFORE   how many days before day 45 to warn (default 7)
--   days|workdays, after_receipt|receipt  override those settings for this run only (defaults:
--                 calendar days, the literal reading; day 1 is the day after receipt)
-- With the defaults, a request received on 1 March has 15 April as day 45 and is deemed approved
-- at the start of 16 April; the reminder goes out from 8 April.
--
-- Usage:    sinergi run scripts/pengingat_dprd.lua [DAYS_BEFORE] [days|workdays] [after_receipt|receipt]
-- Schedule: schedule { name = "pengingat_dprd", cron = "0 8 * * *", run = "scripts/pengingat_dprd.lua",
--                      args = { "7" }, misfire = "once" }
local fmt = require("format")
local pengingat = require("pengingat")

local SKRIP = "scripts/pengingat_dprd.lua"
local settings = workflows.settings()
local sebelum = pengingat.hari(select(1, ...), 7, "pengingat_dprd")
local satuan = pengingat.pilih(select(2, ...) or settings.dprd_days, { "days", "workdays" }, "pengingat_dprd")
local hari_pertama = pengingat.pilih(select(3, ...) or settings.dprd_first_day, { "after_receipt", "receipt" }, "pengingat_dprd")

-- The 45 days and their source, per kind.
local BATAS = {
  ksdd = { pasal = "Permendagri 22/2020 Pasal 12 ayat (4)" },
  ksdpk = { pasal = "Permendagri 22/2020 Pasal 34 ayat (6)" },
  sinergi = { pasal = "Permendagri 22/2020 Pasal 56 ayat (6)" },
  ksdpl = { pasal = "PP 28/2018 Pasal 30 ayat (4)", hari_kerja = true },
  ksdll = { pasal = "PP 28/2018 Pasal 30 ayat (4)", hari_kerja = true },
}
local HARI = 45

local queued = 0
for a in agreements.find{ stage = "persetujuan_dprd" } do
  local batas = BATAS[a.kind]
  local permohonan = a:document("surat_permohonan_dprd")
  local persetujuan = a:document("surat_persetujuan_dprd")
  -- A request without a date cannot be counted; one already answered needs no warning.
  local dijawab = persetujuan and persetujuan.date and permohonan and permohonan.date and persetujuan.date >= permohonan.date
  if batas and permohonan and permohonan.date and not dijawab then
    local hari_kerja = batas.hari_kerja or satuan == "workdays"
    local dari = hari_pertama == "receipt" and permohonan.date - 1 or permohonan.date
    local terakhir = pengingat.hari_terakhir(dari, HARI, hari_kerja)
    local dianggap = terakhir + 1
    local sisa = terakhir - today()
    if sisa >= 0 and sisa <= sebelum then
      local subjek = ("[Sinergi] Persetujuan DPRD %s dianggap diberikan mulai %s"):format(a.number, fmt.tanggal(dianggap))
      local isi = ("Permohonan persetujuan DPRD nomor %s tanggal %s untuk kerja sama \"%s\" (%s) belum dijawab. "
        .. "Hari ke-%d (dihitung dalam %s) jatuh pada %s, %d hari lagi. Bila sampai saat itu DPRD belum menyatakan sikap, "
        .. "rencana kerja sama dianggap telah disetujui mulai %s (%s).\n\nMohon pastikan posisi pembahasan "
        .. "di DPRD, atau catat surat persetujuan pimpinan DPRD bila sudah diterima.\n\nPerangkat Daerah pemrakarsa: %s."):format(
        permohonan.number or "-", fmt.tanggal(permohonan.date), a.title, a.number, HARI, hari_kerja and "hari kerja" or "hari kalender",
        fmt.tanggal(terakhir), sisa, fmt.tanggal(dianggap), batas.pasal, a.lead_agency) .. pengingat.penutup(SKRIP)
      local kunci = ("dprd:%d:%s"):format(a.id, tostring(terakhir))
      queued = queued + pengingat.kirim({ "role:sekretariat" }, kunci, subjek, isi, a)
    end
  end
end
print(("pengingat_dprd: %d pesan diantrekan (per %s, %d hari sebelum hari ke-%d)"):format(queued, tostring(today()), sebelum, HARI))
return queued
