-- Kerja Sama Daerah dengan Pihak Ketiga (KSDPK): the ten stages of Permendagri 22/2020 Pasal 28
-- (PP 28/2018 Pasal 19(1) applies Pasal 6 mutatis mutandis), carried out as Pasal 25-39 say.
-- Every Pasal below is Permendagri 22/2020 unless another instrument is named.
--
-- Unlike a KSDD there is no deadline for the partner's answer to an offer (Pasal 30), the TKKSD
-- (not the PD) drafts the KB (Pasal 32(1)), and the PKS may be a kontrak (Pasal 35-36).
local dprd = require("dprd_review")
local rules = require("ksd_rules")
local kb_pks = require("kb_pks")
local masa_berlaku = require("masa_berlaku")

local states = {}

-- Before the stages (Pasal 25-27): the region maps its affairs into an annual daftar rencana kerja
-- sama set by Keputusan Kepala Daerah (Pasal 25(2)) and prepares a studi kelayakan (content in
-- Pasal 27); a third party that takes the initiative writes the studi kelayakan itself (Pasal
-- 26; PP 28/2018 Pasal 18).
--
-- a. Persiapan (Pasal 29): the PD Pemrakarsa prepares the KAK from the mapping and sends it, with
-- the studi kelayakan, to the TKKSD. An offer from a third party goes to its assessment instead
-- (Pasal 31).
states.persiapan = {
  status = "draft",  -- not signed yet
  on = {
    kak_diajukan = { to = "persiapan_kajian", roles = { "pd" }, requires = { "kak", "studi_kelayakan" } },
    penawaran_pihak_ketiga_diterima = { to = "penawaran_penilaian", roles = { "sekretariat", "tkksd" },
                                        requires = { "studi_kelayakan" } },
  },
}

-- Pasal 29: the TKKSD reviews the KAK on the same criteria as a KSDD (Pasal 7(4)).
states.persiapan_kajian = {
  stage = "persiapan",
  on = {
    kajian_disetujui = { to = "penawaran", roles = { "tkksd" }, requires = { "kak", "hasil_kajian_tkksd" },
                         outcome = "approved" },
    kajian_dikembalikan = { to = "persiapan", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- b. Penawaran (Pasal 30): the TKKSD prepares the surat penawaran, signed by the Kepala Daerah,
-- sent with the KAK to the candidate; with several candidates the TKKSD may choose by
-- bonafiditas, experience and commitment.
states.penawaran = {
  on = {
    penawaran_ditandatangani = { to = "penawaran_tanggapan", roles = { "kepala_daerah" },
                                 requires = { "surat_penawaran", "kak" } },
  },
}

-- Pasal 30: the candidate's answer. No deadline is set for a KSDPK.
states.penawaran_tanggapan = {
  stage = "penawaran",
  on = {
    mitra_menerima = { to = "penyusunan_kb", roles = { "sekretariat", "tkksd" }, outcome = "approved" },
    mitra_menolak = { to = "penawaran_ditolak", roles = { "sekretariat", "tkksd" }, outcome = "rejected" },
  },
}

-- Pasal 31: an offer from a third party is assessed by the TKKSD with the PDs on eight criteria
-- (the five of Pasal 29 plus bonafiditas, experience, commitment).
states.penawaran_penilaian = {
  stage = "penawaran",
  on = {
    penilaian_disetujui = { to = "penyusunan_kb", roles = { "tkksd" },
                            requires = { "studi_kelayakan", "hasil_kajian_tkksd" }, outcome = "approved" },
    penilaian_ditolak = { to = "penawaran_ditolak", roles = { "tkksd" }, outcome = "rejected" },
  },
}

-- The offer was declined or the third party's offer not accepted: nothing signed, the draft ends.
states.penawaran_ditolak = { stage = "penawaran", final = true }

-- c. Penyusunan KB (Pasal 32(1)-(2)): the TKKSD drafts the Kesepakatan Bersama with the third
-- party. It runs at most 5 years (Pasal 32(3)), checked when its term is recorded.
states.penyusunan_kb = {
  on = {
    rancangan_kb_disepakati = { to = "penandatanganan_kb", roles = { "tkksd" }, outcome = "approved" },
  },
}

-- d. Penandatanganan KB (Pasal 33): the Kepala Daerah and the pimpinan of the third party sign,
-- the KB's term recorded (at most 5 years, Pasal 32(3)). DPRD approval follows only when the plan
-- burdens the public and the region or is not yet budgeted (PP 28/2018 Pasal 6(2); Pasal 34(1)).
-- f. Penyusunan kontrak atau PKS (Pasal 35): the PD Pemrakarsa drafts it (experts may help) and the
-- TKKSD discusses it with the third party. Content: Pasal 41, plus the sanctions PP 28/2018 Pasal
-- 19(2) requires. Both as lib/kb_pks.lua builds them for a KSDD and a KSDPK alike.
for name, state in pairs(kb_pks.states{ kb_maximum = "Permendagri 22/2020 Pasal 32(3)" }) do states[name] = state end

-- e. Persetujuan DPRD (Pasal 34), only when needs_dprd_approval: the PD in charge of kerja sama
-- prepares the request with the signed KB, the draft PKS and the company profile; the komisi
-- passes it to the Pimpinan for the sidang paripurna; approval is a letter of the Pimpinan DPRD;
-- 45 days without a position = deemed approved (Pasal 34(6)). See lib/dprd_review.lua. An
-- addendum that adds a burden on the public and the region comes back here (Pasal 37(5)).
for name, state in pairs(dprd.ksdpk{
  after = "penyusunan_pks", back = "penyusunan_kb",
  after_active = "pelaksanaan", back_active = "pelaksanaan",
  basis = { "kesepakatan_bersama" }, basis_active = { "addendum" },
  also = masa_berlaku.term_events(),  -- an active agreement's term keeps running
}) do states[name] = state end

-- g. Penandatanganan kontrak/PKS (Pasal 36): the Kepala Daerah and the pimpinan of the third
-- party; the Kepala Daerah may delegate to the kepala PD Pemrakarsa or an appointed official by
-- surat kuasa.
states.penandatanganan_pks = {
  on = {
    pks_ditandatangani = { to = "pelaksanaan", roles = { "kepala_daerah" },
                           guard = rules.all(rules.any_document{ "pks", "kontrak" }, rules.pks_clauses),
                           outcome = "approved" },
    pks_ditandatangani_kuasa = { to = "pelaksanaan", roles = { "pd" }, requires = { "surat_kuasa" },
                                 guard = rules.all(rules.any_document{ "pks", "kontrak" },
                                                   rules.kuasa_before{ "pks", "kontrak" }, rules.pks_clauses),
                                 outcome = "approved" },
  },
}

-- h.-j. After signing (lib/masa_berlaku.lua): h. Pelaksanaan (Pasal 37): carried out per the
-- kontrak/PKS; its results go to the kas daerah or the region's assets (PP 28/2018 Pasal 20). The
-- parties may change the kontrak/PKS by agreement (addendum, Pasal 37), one that adds a burden on
-- the public and the region through the DPRD (Pasal 37(5)); the KB may be extended by agreement of
-- the parties (Pasal 32(3)). i. Penatausahaan (Pasal 38): the TKKSD keeps one original and the
-- register. j. Pelaporan (Pasal 39): every semester, as for a KSDD. It ends when its term runs out
-- (PP 28/2018 Pasal 9(1) huruf a, 22) or on the grounds of a KSDD plus a final court decision and
-- the third party's bankruptcy (pailit) (PP 28/2018 Pasal 9(1) and 22).
for name, state in pairs(masa_berlaku.states{
  term_document = "kesepakatan_bersama", signed_event = "kb_ditandatangani", reporter = "pd",
}) do states[name] = state end

return {
  name = "ksdpk",
  title = "Kerja Sama Daerah dengan Pihak Ketiga (Permendagri 22/2020 Pasal 25-39)",
  applies_to = { kind = "ksdpk" },
  initial = "persiapan",
  states = states,
}
