-- Foreign cooperation: with a regional government abroad (KSDPL) or a foreign institution
-- (KSDLL): the eleven stages of Permendagri 25/2020 Pasal 9 (PP 28/2018 Bab IV). Every Pasal
-- below is Permendagri 25/2020 unless another instrument is named.
--
-- DPRD approval is always required (PP 28/2018 Pasal 30(1); Pasal 16), with 45 hari kerja
-- (working days: Mon-Fri, not in sinergi.lua's holidays{}). The central government verifies the
-- plan and approves the draft; a kab/kota goes through the Gubernur, who has 5 hari kerja to
-- forward it (Pasal 18(4)-(5), 20(4)).
local dprd = require("dprd_review")
local rules = require("ksd_rules")

local states = {}

-- The Pernyataan Kehendak (LoI) is valid at most 1 year from its signing (Pasal 13(3)): a timer
-- "pernyataan_kehendak" runs from its signing to the naskah's; when it fires first, the track
-- returns to the LoI stage for a new one. Every state it spans accepts its event.
local LOI_LAPSED = { pernyataan_kehendak_berakhir = { to = "pernyataan_kehendak" } }  -- timer only

local function one_year_after(day)
  local d = (day.month == 2 and day.day == 29) and 28 or day.day
  return date(("%04d-%02d-%02d"):format(day.year + 1, day.month, d))
end

local function with(on, more)
  for event, def in pairs(more) do on[event] = { to = def.to } end
  return on
end

-- 1. Prakarsa (Pasal 9): the initiative, by the region or the foreign partner.
states.prakarsa = {
  status = "draft",  -- not signed yet
  on = {
    prakarsa_diajukan = { to = "penjajakan", roles = { "pd", "tkksd" } },
  },
}

-- 2. Penjajakan (Pasal 9): exploring the cooperation with the partner.
states.penjajakan = {
  on = {
    penjajakan_selesai = { to = "pernyataan_kehendak", roles = { "tkksd" }, outcome = "approved" },
    penjajakan_dihentikan = { to = "tidak_dilanjutkan", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- The cooperation was not pursued after exploring it: nothing signed, the draft ends.
states.tidak_dilanjutkan = { stage = "penjajakan", final = true }

-- 3. Pernyataan Kehendak Kerja Sama / LoI (Pasal 9; valid 1 year, Pasal 13(3)). Fire the event on
-- the day it was signed.
states.pernyataan_kehendak = {
  on = {
    loi_ditandatangani = { to = "penyusunan_rencana", roles = { "kepala_daerah" } },
  },
  on_exit = function(a, ctx)
    ctx.timer{ name = "pernyataan_kehendak", days = one_year_after(ctx.today) - ctx.today, from = ctx.today,
               fire = "pernyataan_kehendak_berakhir" }  -- Pasal 13(3)
  end,
}

-- 4. Penyusunan Rencana Kerja Sama (Pasal 9), then always to the DPRD.
states.penyusunan_rencana = {
  on = with({
    rencana_disusun = { to = "persetujuan_dprd", roles = { "tkksd" }, requires = { "rencana_kerja" } },
  }, LOI_LAPSED),
}

-- 5. Persetujuan DPRD, always (PP 28/2018 Pasal 30(1); Pasal 16): 45 hari kerja from the
-- Sekretariat DPRD's receipt of the letter, then deemed approved (PP 28/2018 Pasal 30(4); Pasal
-- 17(2)-(3)). See lib/dprd_review.lua. A rejection returns the plan for revision.
for name, state in pairs(dprd.luar_negeri{
  after = "verifikasi", back = "penyusunan_rencana",
  basis = { "rencana_kerja" },
  also = LOI_LAPSED,
}) do states[name] = state end

-- Sending to the central government: through the Gubernur (a kab/kota), who has 5 hari kerja to
-- forward it, else the kab/kota may send it directly to the Menteri (Pasal 18(4)-(5) for the
-- plan, 20(4) for the draft); or directly (a province). `next` is the waiting state.
local function to_centre(next, via_governor)
  return {
    dikirim_melalui_gubernur = { to = via_governor, roles = { "sekretariat" } },
    dikirim_ke_menteri = { to = next, roles = { "sekretariat" } },
  }
end

local function governor_step(next, what, pasal)
  return {
    deadline = { workdays = 5, fire = "gubernur_tidak_meneruskan" },  -- Pasal 18(4) / 20(4): 5 hari kerja
    on = with({
      diteruskan_gubernur = { to = next, roles = { "provinsi", "sekretariat" } },
      gubernur_tidak_meneruskan = { to = next },  -- fired by the deadline only
    }, LOI_LAPSED),
    on_enter = function(a, ctx)
      ctx.notify{
        to = "role:provinsi", key = ("luar_negeri:%s:%s:%s"):format(what, a.number, ctx.today),
        subject = ("%s: %s untuk diteruskan ke Menteri"):format(a.number, what),
        body = ("Please forward the %s of \"%s\" to the Menteri within 5 working days (Permendagri 25/2020 %s).")
          :format(what, a.title, pasal),
      }
    end,
    on_exit = function(a, ctx)
      if ctx.event == "gubernur_tidak_meneruskan" then
        ctx.notify{
          to = "role:sekretariat", key = ("luar_negeri:%s langsung:%s:%s"):format(what, a.number, ctx.today),
          subject = ("%s: kirim langsung ke Menteri"):format(a.number),
          body = ("The Gubernur did not forward the %s within 5 working days; send it directly to the Menteri "
            .. "(Permendagri 25/2020 %s)."):format(what, pasal),
        }
      end
    end,
  }
end

-- 6. Verifikasi (Pasal 9): the Menteri verifies the Rencana Kerja Sama.
states.verifikasi = { on = with(to_centre("verifikasi_menteri", "verifikasi_gubernur"), LOI_LAPSED) }

-- Pasal 18(4)-(5): with the Gubernur, 5 hari kerja.
states.verifikasi_gubernur = governor_step("verifikasi_menteri", "rencana kerja sama", "Pasal 18(4)-(5)")
states.verifikasi_gubernur.stage = "verifikasi"

-- With the Menteri: the result is recorded by the sekretariat.
states.verifikasi_menteri = {
  stage = "verifikasi",
  on = with({
    verifikasi_disetujui = { to = "penyusunan_naskah", roles = { "sekretariat" }, outcome = "approved" },
    verifikasi_dikembalikan = { to = "penyusunan_rencana", roles = { "sekretariat" }, outcome = "rejected" },
  }, LOI_LAPSED),
}

-- 7. Penyusunan rancangan Naskah Kerja Sama (Pasal 9).
states.penyusunan_naskah = {
  on = with({
    rancangan_naskah_disusun = { to = "pembahasan", roles = { "tkksd" } },
  }, LOI_LAPSED),
}

-- 8. Pembahasan (Pasal 9): the draft is discussed with the partner.
states.pembahasan = {
  on = with({
    pembahasan_selesai = { to = "persetujuan_menteri", roles = { "tkksd" }, outcome = "approved" },
    pembahasan_dikembalikan = { to = "penyusunan_naskah", roles = { "tkksd" }, outcome = "rejected" },
  }, LOI_LAPSED),
}

-- 9. Persetujuan Menteri (Pasal 9): the draft goes to the Menteri (through the Gubernur for a
-- kab/kota, Pasal 20(4)).
states.persetujuan_menteri = {
  on = with(to_centre("persetujuan_menteri_menunggu", "persetujuan_menteri_gubernur"), LOI_LAPSED),
}

-- Pasal 20(4): with the Gubernur, 5 hari kerja.
states.persetujuan_menteri_gubernur = governor_step("persetujuan_menteri_menunggu", "rancangan naskah kerja sama",
                                                    "Pasal 20(4)")
states.persetujuan_menteri_gubernur.stage = "persetujuan_menteri"

-- With the Menteri: the approval (or the return for revision) is recorded by the sekretariat.
states.persetujuan_menteri_menunggu = {
  stage = "persetujuan_menteri",
  on = with({
    disetujui_menteri = { to = "penandatanganan", roles = { "sekretariat" }, outcome = "approved" },
    dikembalikan_menteri = { to = "penyusunan_naskah", roles = { "sekretariat" }, outcome = "rejected" },
  }, LOI_LAPSED),
}

-- 10. Penandatanganan (Pasal 9): the Kepala Daerah signs the naskah; its term is at most 5 years
-- (Pasal 32). The LoI has done its work: its timer ends.
states.penandatanganan = {
  on = with({
    naskah_ditandatangani = { to = "pelaksanaan", roles = { "kepala_daerah" },
                              guard = rules.term_recorded("naskah kerja sama",
                                                          "at most 5 years, Permendagri 25/2020 Pasal 32"),
                              outcome = "approved" },
  }, LOI_LAPSED),
  on_exit = function(a, ctx)
    if ctx.event == "naskah_ditandatangani" then ctx.cancel("pernyataan_kehendak") end
  end,
}

-- Pasal 33: an extension is requested in writing from the Menteri no later than 6 months before
-- the end, copied to the DPRD (and the Gubernur for a kab/kota).
local function six_months_before(day)
  local year, month = day.year, day.month - 6
  if month < 1 then month, year = month + 12, year - 1 end
  local last = ({ 31, (year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)) and 29 or 28,
                  31, 30, 31, 30, 31, 31, 30, 31, 30, 31 })[month]
  return date(("%04d-%02d-%02d"):format(year, month, math.min(day.day, last)))
end

local function extension_in_time(a, ctx)
  if not a.ends_on then
    return false, "record ends_on first: the extension is asked for before it (Permendagri 25/2020 Pasal 33)"
  end
  local latest = six_months_before(a.ends_on)
  if ctx.today > latest then
    return false, ("an extension is requested no later than 6 months before the end (%s): by %s "
      .. "(Permendagri 25/2020 Pasal 33)")
      :format(a.ends_on, latest)
  end
  return true
end

-- 11. Pelaksanaan (Pasal 9): in force. Entering it starts the kedaluwarsa timer (the term, at most
-- 5 years, Pasal 32), due the day after ends_on and moved by every later change of ends_on.
-- Reports go to the Gubernur / Menteri each January (Pasal 35-38), outside this track.
states.pelaksanaan = {
  status = "active",  -- signed and in force
  on = {
    -- Pasal 32-33: extended with the consent of the parties, asked of the Menteri in time.
    perpanjangan_diajukan = { to = "pelaksanaan_perpanjangan", roles = { "pd", "tkksd" }, guard = extension_in_time },
    -- Pasal 34: ends by agreement per the naskah, when its objective is achieved, or when replaced
    -- by a new agreement. The ground goes in the note, the berita acara records it, and the
    -- sekretariat, which keeps the register, records the end.
    diakhiri = { to = "diakhiri", roles = { "sekretariat", "tkksd" }, requires = { "berita_acara" },
                 guard = rules.ending_ground },
    -- Pasal 32: the term has run out.
    kedaluwarsa = { to = "kedaluwarsa" },
  },
  on_enter = rules.expiry_timer,
}

-- Pasal 33: the request is with the Menteri; copies to the DPRD and the Gubernur.
states.pelaksanaan_perpanjangan = {
  stage = "pelaksanaan",
  on = {
    perpanjangan_disetujui = { to = "pelaksanaan", roles = { "sekretariat" },
                               guard = rules.all(rules.extension_valid,
                                                 rules.fresh_document({ "addendum" }, { "perpanjangan_disetujui" })),
                               outcome = "approved" },
    perpanjangan_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    kedaluwarsa = { to = "kedaluwarsa" },  -- Pasal 32
  },
  on_enter = function(a, ctx)
    rules.expiry_timer(a, ctx)  -- also for an agreement adopted here (workflow start --at)
    for _, role in ipairs{ "dprd_pimpinan", "provinsi" } do
      ctx.notify{
        to = "role:" .. role, key = ("luar_negeri:perpanjangan:%s:%s:%s"):format(role, a.number, ctx.today),
        subject = ("%s: tembusan permohonan perpanjangan"):format(a.number),
        body = ("Copy: the extension of \"%s\" (ends %s) has been requested from the Menteri "
          .. "(Permendagri 25/2020 Pasal 33)."):format(a.title, a.ends_on),
      }
    end
  end,
  on_exit = function(a, ctx)
    if ctx.event == "perpanjangan_disetujui" then rules.apply_extension(a, ctx) end
  end,
}

-- The term ran out (Pasal 32). Pasal 34 lists no "term expired" ground, so none is recorded.
states.kedaluwarsa = { stage = "pelaksanaan", status = "expired", final = true }

-- Ended on a ground of Pasal 34, recorded as ending_ground.
states.diakhiri = {
  stage = "pelaksanaan", status = "terminated", final = true,
  on_enter = rules.record_ending,
}

return {
  name = "luar_negeri",
  title = "Kerja Sama Daerah dengan Pemerintah Daerah/Lembaga di Luar Negeri (Permendagri 25/2020 Pasal 9)",
  applies_to = { kind = { "ksdpl", "ksdll" } },
  initial = "prakarsa",
  states = states,
}
