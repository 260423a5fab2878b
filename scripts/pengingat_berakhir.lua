-- Pengingat berakhirnya kerja sama: the Kesepakatan Bersama (for a Sinergi, the Nota Kesepakatan;
-- field ends_on) and the PKS/kontrak (pks_ends_on) each get their own reminders, because their
-- terms differ (a KB runs at most 5 years, Permendagri 22/2020 Pasal 9(3), 32(3); a PKS has no
-- national maximum). Default thresholds 90/60/30/7/0 days: Samarinda's practice (domain.md 5.4),
-- a choice, not a rule — change them with the job's argument.
--
-- Usage:    sinergi run scripts/pengingat_berakhir.lua [THRESHOLDS]        e.g. 90,60,30,7,0
-- Schedule: schedule { name = "pengingat_berakhir", cron = "0 8 * * *", run = "scripts/pengingat_berakhir.lua",
--                      args = { "90,60,30,7,0" }, misfire = "once" }
--
-- When is a reminder sent? Not only on the exact day: a document is "within" a threshold as soon
-- as its remaining days are at most that threshold, and each run sends the SMALLEST threshold the
-- document is within. So:
--   * a day of downtime loses nothing: the next run finds the document still within it;
--   * a first run (or an agreement entered with 45 days left) sends one message, for 60 days,
--     not three stale ones for 90, 60 and 30 at once — the message states the days actually left;
--     the larger thresholds are skipped for good, as they were already passed;
--   * each threshold goes out once: its key is agreement + document + threshold + end date, and
--     notify{} refuses a key it has seen. A changed end date (an addendum extending the term) makes
--     new keys, so the reminders start again from the new date.
-- A document whose end date has already passed while the agreement is still recorded as active
-- counts as within the 0-day threshold and is reported once as "telah berakhir": the register
-- should say expired, or the term was extended without being recorded.
-- Only agreements in force (status active) are read; drafts have not started, and expired,
-- terminated or voided ones have nothing left to remind of (agreements.find leaves voided out).
local fmt = require("format")
local pengingat = require("pengingat")

local SKRIP = "scripts/pengingat_berakhir.lua"
local thresholds = pengingat.daftar_hari(..., { 90, 60, 30, 7, 0 }, "pengingat_berakhir")

-- The two documents, each with its own end date and its own keys (kb / pks).
local DOKUMEN = {
  { kode = "kb", field = "ends_on" },
  { kode = "pks", field = "pks_ends_on" },
}

-- Where the law lets a Kesepakatan Bersama be extended by agreement of the parties.
local PERPANJANGAN_KB = { ksdd = "Permendagri 22/2020 Pasal 9 ayat (3)", ksdpk = "Permendagri 22/2020 Pasal 32 ayat (3)" }

-- What a document is called in the message.
local function nama_dokumen(a, kode)
  if kode == "pks" then return a.kind == "ksdpk" and "Perjanjian Kerja Sama/kontrak" or "Perjanjian Kerja Sama (PKS)" end
  if a.kind == "sinergi" then return "Nota Kesepakatan" end
  if a.kind == "ksdpl" or a.kind == "ksdll" then return "Perjanjian kerja sama luar negeri" end
  return "Kesepakatan Bersama (KB)"
end

-- The smallest threshold `remaining` is within, or nil when it is farther away than all of them.
local function ambang_untuk(remaining)
  local chosen
  for _, threshold in ipairs(thresholds) do            -- farthest first
    if remaining <= threshold then chosen = threshold end
  end
  return chosen
end

local function mitra(a)
  local names = {}
  for _, party in ipairs(a.parties) do names[#names + 1] = party.name end
  return #names > 0 and table.concat(names, ", ") or "(mitra belum dicatat)"
end

local queued = 0
for a in agreements.find{ status = "active" } do
  for _, dokumen in ipairs(DOKUMEN) do
    local ends_on = a[dokumen.field]
    local remaining = ends_on and (ends_on - today())
    local threshold = remaining and ambang_untuk(remaining)
    if threshold then
      local nama = nama_dokumen(a, dokumen.kode)
      local kapan
      if remaining > 0 then
        kapan = ("berakhir dalam %d hari, pada %s"):format(remaining, fmt.tanggal(ends_on))
      elseif remaining == 0 then
        kapan = "berakhir hari ini, " .. fmt.tanggal(ends_on)
      else
        kapan = ("telah berakhir pada %s (%d hari yang lalu), tetapi masih tercatat aktif"):format(fmt.tanggal(ends_on), -remaining)
      end
      local subjek = ("[Sinergi] %s %s %s"):format(nama, a.number, (kapan:match("^[^,(]+"):gsub("%s+$", "")))
      local isi = ("%s nomor %s, \"%s\", dengan %s %s.\n\nPerangkat Daerah pemrakarsa: %s.\n\n"):format(
        nama, a.number, a.title, mitra(a), kapan, a.lead_agency)
      if remaining < 0 then
        isi = isi .. "Mohon perbarui register: catat status berakhir (expired), atau catat addendum perpanjangan "
          .. "bila jangka waktunya sudah diperpanjang.\n"
      elseif a.kind == "ksdpl" or a.kind == "ksdll" then
        isi = isi .. "Perpanjangan kerja sama luar negeri diajukan kepada Menteri paling lambat 6 bulan sebelum "
          .. "berakhir, dengan tembusan kepada DPRD (Permendagri 25/2020 Pasal 33).\n"
      else
        isi = isi .. "Bila kerja sama akan dilanjutkan, siapkan perpanjangan yang disepakati para pihak"
          .. (dokumen.kode == "kb" and PERPANJANGAN_KB[a.kind] and (" (" .. PERPANJANGAN_KB[a.kind] .. ")") or "")
          .. "; bila tidak, siapkan pengakhiran dan laporan akhirnya.\n"
      end
      isi = isi .. ("Pengingat ambang %d hari."):format(threshold) .. pengingat.penutup(SKRIP)
      local kunci = ("berakhir:%s:%d:%d:%s"):format(dokumen.kode, a.id, threshold, tostring(ends_on))
      queued = queued + pengingat.kirim({ pengingat.pd(a), "role:sekretariat" }, kunci, subjek, isi, a)
    end
  end
end
print(("pengingat_berakhir: %d pesan diantrekan (per %s, ambang %s hari)"):format(
  queued, tostring(today()), table.concat(thresholds, ",")))
return queued
