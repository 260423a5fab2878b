-- Sinergi with a kementerian/lembaga (PP 28/2018 Pasal 46): the eight stages of Permendagri
-- 22/2020 Pasal 52-60. Every Pasal below is Permendagri 22/2020 unless another instrument is named.
--
-- The document is a Nota Kesepakatan with a Rencana Kerja (Pasal 1 angka 18-19), not a KB and
-- PKS; and the DPRD, when its approval is needed, decides BEFORE the signing (Pasal 56), unlike a
-- KSDD or KSDPK.
local dprd = require("dprd_review")
local rules = require("ksd_rules")
local masa_berlaku = require("masa_berlaku")

local states = {}

-- a. Persiapan (Pasal 53): the PD prepares the KAK; the object must be in the RKPD, by priority
-- (Pasal 53(2)).
states.persiapan = {
  status = "draft",  -- not signed yet
  on = {
    kak_diajukan = { to = "persiapan_kajian", roles = { "pd" }, requires = { "kak" } },
  },
}

-- Pasal 53: the TKKSD reviews the KAK.
states.persiapan_kajian = {
  stage = "persiapan",
  on = {
    kajian_disetujui = { to = "penawaran", roles = { "tkksd" }, requires = { "kak", "hasil_kajian_tkksd" },
                         outcome = "approved" },
    kajian_dikembalikan = { to = "persiapan", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- b. Penawaran Sinergi (Pasal 54): the Kepala Daerah signs the offer, sent with the KAK to
-- the kementerian/lembaga.
states.penawaran = {
  on = {
    penawaran_ditandatangani = { to = "penawaran_pengiriman", roles = { "kepala_daerah" },
                                 requires = { "surat_penawaran", "kak" } },
  },
}

-- Record the offer's receipt on the day the K/L received it: its 30 days count from then.
states.penawaran_pengiriman = {
  stage = "penawaran",
  on = {
    penawaran_diterima_mitra = { to = "penawaran_tanggapan", roles = { "sekretariat", "tkksd" } },
  },
}

local function reply_events()
  return {
    -- The K/L accepts: the TKKSD drafts the Nota Kesepakatan and Rencana Kerja (stage c of Pasal 52-60).
    mitra_menerima = { to = "penyusunan_nk", roles = { "sekretariat", "tkksd" }, outcome = "approved" },
    -- The K/L declines: the offer ends here.
    mitra_menolak = { to = "penawaran_ditolak", roles = { "sekretariat", "tkksd" }, outcome = "rejected" },
  }
end

-- Pasal 54(3): the K/L answers within 30 days.
states.penawaran_tanggapan = {
  stage = "penawaran",
  deadline = { days = 30, fire = "tanpa_tanggapan" },  -- Pasal 54(3): 30 hari
  on = (function()
    local on = reply_events()
    on.tanpa_tanggapan = { to = "penawaran_permintaan_kedua" }  -- fired by the deadline only
    return on
  end)(),
}

-- Pasal 54(4): no answer in 30 days: a second request. No further period or escalation is written
-- for Sinergi; the track waits for the answer.
states.penawaran_permintaan_kedua = {
  stage = "penawaran",
  on = (function()
    local on = reply_events()
    on.permintaan_kedua_dikirim = { to = "penawaran_tanggapan_kedua", roles = { "sekretariat", "tkksd" },
                                    requires = { "surat_permintaan_tanggapan" } }
    return on
  end)(),
}

-- Pasal 54(4): waiting for the answer to the second request (no deadline in the text).
states.penawaran_tanggapan_kedua = { stage = "penawaran", on = reply_events() }

-- The K/L declined: nothing signed, the draft ends.
states.penawaran_ditolak = { stage = "penawaran", final = true }

-- c. Penyusunan Nota Kesepakatan dan Rencana Kerja (stage c of Pasal 52-60), by the TKKSD; content of the NK:
-- Pasal 42. Then DPRD approval when the Sinergi burdens the public and the region or is not yet
-- budgeted (PP 28/2018 Pasal 6(2); Pasal 56(1)), else straight to signing.
states.penyusunan_nk = {
  on = {
    rancangan_nk_disepakati = {
      to = { "persetujuan_dprd", "penandatanganan_nk" },
      route = function(a) return a.needs_dprd_approval and "persetujuan_dprd" or "penandatanganan_nk" end,
      roles = { "tkksd" }, requires = { "nota_kesepakatan", "rencana_kerja" }, outcome = "approved",
    },
  },
}

-- d. Persetujuan DPRD (Pasal 56), only when needs_dprd_approval, BEFORE the signing: the PD in
-- charge of kerja sama prepares the request with the NK and Rencana Kerja (Pasal 56(2)); the
-- komisi passes it to the sidang paripurna; 45 days without a position = deemed approved
-- (Pasal 56(6)); the result goes to the TKKSD (Pasal 56(7)). A change that adds a burden on the
-- public and the APBD comes back here while in force (Pasal 58).
for name, state in pairs(dprd.sinergi{
  after = "penandatanganan_nk", back = "penyusunan_nk",
  after_active = "pelaksanaan", back_active = "pelaksanaan",
  basis = { "nota_kesepakatan", "rencana_kerja" }, basis_active = { "addendum" },
  also = masa_berlaku.term_events(),  -- an active Sinergi's term keeps running
}) do states[name] = state end

-- e. Penandatanganan NK dan Rencana Kerja (stage e of Pasal 52-60): the Kepala Daerah with the K/L's authorised
-- official; signed copies go to the Menteri as a report (Pasal 57(3)).
states.penandatanganan_nk = {
  on = {
    nk_ditandatangani = { to = "pelaksanaan", roles = { "kepala_daerah" },
                          requires = { "nota_kesepakatan", "rencana_kerja" },
                          guard = rules.term_recorded("Nota Kesepakatan", "no national maximum, domain.md 5.1"),
                          outcome = "approved" },
  },
  on_exit = function(a, ctx)
    ctx.notify{
      to = "role:sekretariat", key = ("sinergi:nk:%s:%s"):format(a.number, ctx.today),
      subject = ("%s: Nota Kesepakatan ditandatangani"):format(a.number),
      body = "Laporkan Nota Kesepakatan dan Rencana Kerja yang telah ditandatangani kepada Menteri "
        .. "(Permendagri 22/2020 Pasal 57(3)).",
    }
  end,
}

-- f.-h. After signing (lib/masa_berlaku.lua): f. Pelaksanaan (stage f of Pasal 52-60); a change
-- that adds or reduces burdens on the public and the APBD (Pasal 58), one that adds a burden through
-- the DPRD; no national rule on extending a Nota Kesepakatan (domain.md 5.1): a new term by
-- agreement of the parties, as for a KB (Pasal 9(3) by analogy), recorded by the Sekretariat
-- TKKSD, which keeps the register; g. Penatausahaan (stage g of Pasal 52-60); h. Pelaporan (Pasal
-- 60): the TKKSD reports to the Bupati/Wali Kota every 6 months; the Bupati/Wali Kota to the
-- Gubernur at least once a year; the Gubernur to the Menteri. It ends when the term of the Nota
-- Kesepakatan runs out (PP 28/2018 Pasal 9(1) huruf a) or on a ground of PP 28/2018 Pasal 9(1):
-- Sinergi has no grounds of its own (domain.md 6.6).
for name, state in pairs(masa_berlaku.states{
  term_document = "nota_kesepakatan", signed_event = "nk_ditandatangani", reporter = "tkksd",
}) do states[name] = state end

return {
  name = "sinergi_kl",
  title = "Sinergi dengan Kementerian/Lembaga (Permendagri 22/2020 Pasal 52-60)",
  applies_to = { kind = "sinergi" },
  initial = "persiapan",
  states = states,
}
