-- Kerja Sama Daerah dengan Daerah Lain (KSDD): the ten stages of PP 28/2018 Pasal 6(1) and
-- Permendagri 22/2020 Pasal 6, carried out as Pasal 7-17 say. Every Pasal below is Permendagri
-- 22/2020 unless another instrument is named.
--
-- Edit freely: an agreement already running stays on the version it started with; the next one
-- uses this file. `sinergi workflow check ksdd` checks an edit; `sinergi workflow graph ksdd`
-- draws it. Periods are counted by one rule: N days from a date start the day after it.
local dprd = require("dprd_review")
local rules = require("ksd_rules")
local kb_pks = require("kb_pks")
local masa_berlaku = require("masa_berlaku")

local states = {}

-- a. Persiapan (Pasal 7): the PD Pemrakarsa prepares the kerangka acuan kerja (KAK, content in
-- Pasal 7(2)) and sends it to the TKKSD.
states.persiapan = {
  status = "draft",  -- not signed yet
  on = {
    kak_diajukan = { to = "persiapan_kajian", roles = { "pd" }, requires = { "kak" } },
  },
}

-- Pasal 7: the TKKSD reviews the KAK (Pasal 7(4): RPJMD and Renstra, RTRW, links across sectors
-- and regions, costs and benefits, impact) and returns its result to the PD.
states.persiapan_kajian = {
  stage = "persiapan",
  on = {
    kajian_disetujui = { to = "penawaran", roles = { "tkksd" }, requires = { "kak", "hasil_kajian_tkksd" },
                         outcome = "approved" },
    kajian_dikembalikan = { to = "persiapan", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- b. Penawaran (Pasal 8): the TKKSD drafts the surat penawaran; the Kepala Daerah signs it
-- and sends it with the KAK to the partner's Kepala Daerah.
states.penawaran = {
  on = {
    penawaran_ditandatangani = { to = "penawaran_pengiriman", roles = { "kepala_daerah" },
                                 requires = { "surat_penawaran", "kak" } },
  },
}

-- The offer is on its way. Record its receipt on the day the partner received it (its tanda
-- terima): the partner's 30 days count from that receipt (Pasal 8(3)-(6)).
states.penawaran_pengiriman = {
  stage = "penawaran",
  on = {
    penawaran_diterima_mitra = { to = "penawaran_tanggapan", roles = { "sekretariat", "tkksd" } },
  },
}

-- The partner's reply that accepts or declines the offer; the shared answer events below.
local function reply_events()
  return {
    -- The partner accepts: the KB is drafted next (Pasal 9(1)).
    mitra_menerima = { to = "penyusunan_kb", roles = { "sekretariat", "tkksd" }, outcome = "approved" },
    -- The partner declines: the offer ends here.
    mitra_menolak = { to = "penawaran_ditolak", roles = { "sekretariat", "tkksd" }, outcome = "rejected" },
  }
end

-- Pasal 8(3)-(6): the partner answers within 30 days of receiving the offer.
states.penawaran_tanggapan = {
  stage = "penawaran",
  deadline = { days = 30, fire = "tanpa_tanggapan" },  -- Pasal 8(3)-(6): 30 hari
  on = (function()
    local on = reply_events()
    on.tanpa_tanggapan = { to = "penawaran_permintaan_kedua" }  -- fired by the deadline only
    return on
  end)(),
}

-- Pasal 8(3)-(6): no answer in 30 days: a second request (surat permintaan tanggapan). Record its
-- receipt on the day the partner received it; the 15 days count from then.
states.penawaran_permintaan_kedua = {
  stage = "penawaran",
  on = (function()
    local on = reply_events()
    on.permintaan_kedua_diterima_mitra = { to = "penawaran_tanggapan_kedua", roles = { "sekretariat", "tkksd" },
                                           requires = { "surat_permintaan_tanggapan" } }
    return on
  end)(),
}

-- Pasal 8(3)-(6): the partner answers within 15 days of receiving the second request.
states.penawaran_tanggapan_kedua = {
  stage = "penawaran",
  deadline = { days = 15, fire = "tanpa_tanggapan" },  -- Pasal 8(3)-(6): 15 hari
  on = (function()
    local on = reply_events()
    on.tanpa_tanggapan = { to = "penawaran_eskalasi" }  -- fired by the deadline only
    return on
  end)(),
}

-- Pasal 8(3)-(6): still no answer: a Bupati/Wali Kota reports to the Gubernur as wakil
-- Pemerintah Pusat (Pasal 8(5) huruf b; a Gubernur reports to the Menteri), who orders the partner
-- to respond. The notice goes to the provinsi role; a province-level workspace reports to the
-- Menteri outside Sinergi.
states.penawaran_eskalasi = {
  stage = "penawaran",
  on = reply_events(),
  on_enter = function(a, ctx)
    ctx.notify{
      to = "role:provinsi", key = ("ksdd:eskalasi:%s:%s"):format(a.number, ctx.today),
      subject = ("%s: mitra tidak menanggapi penawaran kerja sama"):format(a.number),
      body = ("Mitra tidak menanggapi penawaran kerja sama \"%s\" dalam 30 hari, dan tidak pula dalam 15 hari "
        .. "setelah surat permintaan tanggapan. Dilaporkan kepada Gubernur sebagai wakil Pemerintah Pusat "
        .. "(Permendagri 22/2020 Pasal 8(5) huruf b)."):format(a.title),
    }
  end,
}

-- The partner declined the offer: nothing was signed, the draft ends (Pasal 8).
states.penawaran_ditolak = { stage = "penawaran", final = true }

-- c. Penyusunan KB (Pasal 9(1)-(2)): the PD Pemrakarsa drafts the Kesepakatan Bersama and sends
-- it to the TKKSD.
states.penyusunan_kb = {
  on = {
    rancangan_kb_diajukan = { to = "penyusunan_kb_pembahasan", roles = { "pd" } },
  },
}

-- Pasal 9(2): the TKKSD discusses the draft with the parties. The KB runs at most 5 years
-- (Pasal 9(3)), checked when its term is recorded.
states.penyusunan_kb_pembahasan = {
  stage = "penyusunan_kb",
  on = {
    rancangan_kb_disepakati = { to = "penandatanganan_kb", roles = { "tkksd" }, outcome = "approved" },
    rancangan_kb_dikembalikan = { to = "penyusunan_kb", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- d. Penandatanganan KB (Pasal 10): both Kepala Daerah sign, the KB's term recorded (at most 5
-- years, Pasal 9(3)). DPRD approval follows only when the plan burdens the public and the region
-- or is not yet budgeted in this year's APBD (PP 28/2018 Pasal 6(2); Pasal 11(1)): the agreement's
-- needs_dprd_approval. f. Penyusunan PKS (Pasal 13): the PD Pemrakarsa drafts the PKS (experts
-- may help) and the TKKSD discusses it with the parties. Its content: Pasal 41. Both as
-- lib/kb_pks.lua builds them for a KSDD and a KSDPK alike.
for name, state in pairs(kb_pks.states{ kb_maximum = "Permendagri 22/2020 Pasal 9(3)" }) do states[name] = state end

-- e. Persetujuan DPRD (Pasal 11-12), only when needs_dprd_approval: the request with the signed
-- KB goes to the Pimpinan DPRD; 15 + 15 + 15 days and, at the same time, 45 days then deemed
-- approved (Pasal 12(1) huruf f, 12(4)); see lib/dprd_review.lua. A rejection returns the KB for
-- revision. An addendum that adds a burden on the public comes back here while the agreement is
-- active (Pasal 15(6)) and then returns to pelaksanaan.
for name, state in pairs(dprd.ksdd{
  after = "penyusunan_pks", back = "penyusunan_kb",
  after_active = "pelaksanaan", back_active = "pelaksanaan",
  basis = { "kesepakatan_bersama" }, basis_active = { "addendum" },
  also = masa_berlaku.term_events(),  -- an active agreement's term keeps running
}) do states[name] = state end

-- g. Penandatanganan PKS (Pasal 14): the Kepala Daerah signs, or the kepala PD under a surat
-- kuasa; a copy of the kuasa goes to the PD in charge of kerja sama and a photocopy of the PKS to
-- the Sekretariat TKKSD (Pasal 14(4)). The PKS has the minimum clauses of Pasal 41.
states.penandatanganan_pks = {
  on = {
    pks_ditandatangani = { to = "pelaksanaan", roles = { "kepala_daerah" }, requires = { "pks" },
                           guard = rules.pks_clauses, outcome = "approved" },
    pks_ditandatangani_kuasa = { to = "pelaksanaan", roles = { "pd" }, requires = { "pks", "surat_kuasa" },
                                 guard = rules.all(rules.kuasa_before{ "pks" }, rules.pks_clauses),
                                 outcome = "approved" },
  },
  on_exit = function(a, ctx)
    ctx.notify{
      to = "role:sekretariat", key = ("ksdd:pks:%s:%s"):format(a.number, ctx.today),
      subject = ("%s: PKS ditandatangani"):format(a.number),
      body = "Sampaikan fotokopi PKS yang telah ditandatangani (dan surat kuasa, bila ada) kepada Sekretariat TKKSD "
        .. "(Permendagri 22/2020 Pasal 14(4)).",
    }
  end,
}

-- h.-j. After signing (lib/masa_berlaku.lua): h. Pelaksanaan (Pasal 15): the parties carry out
-- the PKS; an addendum with strong reasons (Pasal 15(3)-(5)), one that adds a burden on the public
-- through the DPRD (Pasal 15(6)); perpanjangan of the KB by agreement of the parties (Pasal 9(3));
-- i. Penatausahaan (Pasal 16): the TKKSD keeps one original; j. Pelaporan (Pasal 17): the PD
-- Pemrakarsa reports every semester to the Bupati/Wali Kota (or Gubernur), upwards as input for
-- the Menteri's and Gubernur's evaluation. The Sekretariat TKKSD keeps the register (Pasal 10(3),
-- 16). It ends when its term runs out (PP 28/2018 Pasal 9(1) huruf a) or on a ground of PP 28/2018
-- Pasal 9(1), not by a change of leadership (PP 28/2018 Pasal 9(2)).
for name, state in pairs(masa_berlaku.states{
  term_document = "kesepakatan_bersama", signed_event = "kb_ditandatangani", reporter = "pd",
}) do states[name] = state end

return {
  name = "ksdd",
  title = "Kerja Sama Daerah dengan Daerah Lain (Permendagri 22/2020 Pasal 6-17)",
  applies_to = { kind = "ksdd" },
  initial = "persiapan",
  states = states,
}
