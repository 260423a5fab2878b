-- Kerja Sama Daerah dengan Pihak Ketiga (KSDPK): the ten stages of Permendagri 22/2020 Pasal 28
-- (PP 28/2018 Pasal 19(1) applies Pasal 6 mutatis mutandis), carried out as Pasal 25-39 say.
-- Every Pasal below is Permendagri 22/2020 unless another instrument is named.
--
-- Unlike a KSDD there is no deadline for the partner's answer to an offer (Pasal 30), the TKKSD
-- (not the PD) drafts the KB (Pasal 32(1)), and the PKS may be a kontrak (Pasal 35-36).
local dprd = require("dprd_review")
local rules = require("ksd_rules")

local states = {}

-- An addendum not yet agreed, and a document of a new term not yet used (see ksd_rules).
local new_addendum = rules.fresh_document({ "addendum" }, { "addendum_disepakati", "addendum_menambah_beban" })
local new_term_document = rules.fresh_document({ "kesepakatan_bersama", "addendum" },
  { "kb_ditandatangani", "perpanjangan_disepakati", "addendum_disepakati", "addendum_menambah_beban" })

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

-- d. Penandatanganan KB (Pasal 33): the Kepala Daerah and the pimpinan of the third party sign.
-- DPRD approval follows only when the plan burdens the public and the region or is not yet
-- budgeted (PP 28/2018 Pasal 6(2); Pasal 34(1)).
states.penandatanganan_kb = {
  on = {
    kb_ditandatangani = {
      to = { "persetujuan_dprd", "penyusunan_pks" },
      route = function(a) return a.needs_dprd_approval and "persetujuan_dprd" or "penyusunan_pks" end,
      roles = { "kepala_daerah" }, requires = { "kesepakatan_bersama" },
      guard = rules.term_recorded("Kesepakatan Bersama", "at most 5 years, Permendagri 22/2020 Pasal 32(3)"),
      outcome = "approved",
    },
  },
}

-- The events of an agreement in force, in every state after signing.
local function in_force()
  return {
    -- Pasal 37: the parties may change the kontrak/PKS by agreement (addendum), prepared by the PD
    -- Pemrakarsa with the TKKSD.
    addendum_disiapkan = { to = "pelaksanaan_addendum", roles = { "pd", "tkksd" } },
    -- Pasal 32(3): the KB may be extended by agreement of the parties.
    perpanjangan_diajukan = { to = "pelaksanaan_perpanjangan", roles = { "pd", "tkksd" } },
    -- PP 28/2018 Pasal 9(1) and 22: the grounds of a KSDD plus a final court decision and the
    -- third party's bankruptcy (pailit). The ground goes in the note, the berita acara records
    -- it, and the Sekretariat TKKSD, which keeps the register (Pasal 38), records the end.
    diakhiri = { to = "diakhiri", roles = { "sekretariat", "tkksd" }, requires = { "berita_acara" },
                 guard = rules.ending_ground },
    -- PP 28/2018 Pasal 9(1) huruf a (by Pasal 22): the term has run out.
    kedaluwarsa = { to = "kedaluwarsa" },
  }
end

local function with(on, more)
  for event, def in pairs(more) do on[event] = def end
  return on
end

-- e. Persetujuan DPRD (Pasal 34), only when needs_dprd_approval: the PD in charge of kerja sama
-- prepares the request with the signed KB, the draft PKS and the company profile; the komisi
-- passes it to the Pimpinan for the sidang paripurna; approval is a letter of the Pimpinan DPRD;
-- 45 days without a position = deemed approved (Pasal 34(6)). See lib/dprd_review.lua. An
-- addendum that adds a burden on the public and the region comes back here (Pasal 37(5)).
for name, state in pairs(dprd.ksdpk{
  after = "penyusunan_pks", back = "penyusunan_kb",
  after_active = "pelaksanaan", back_active = "pelaksanaan",
  basis = { "kesepakatan_bersama" }, basis_active = { "addendum" },
  also = { kedaluwarsa = { to = "kedaluwarsa" } },  -- an active agreement's term keeps running
}) do states[name] = state end

-- f. Penyusunan kontrak atau PKS (Pasal 35): the PD Pemrakarsa drafts it (experts may help) ...
states.penyusunan_pks = {
  on = {
    rancangan_pks_diajukan = { to = "penyusunan_pks_pembahasan", roles = { "pd" } },
  },
}

-- ... and the TKKSD discusses it with the third party (Pasal 35). Content: Pasal 41, plus the
-- sanctions PP 28/2018 Pasal 19(2) requires.
states.penyusunan_pks_pembahasan = {
  stage = "penyusunan_pks",
  on = {
    rancangan_pks_disepakati = { to = "penandatanganan_pks", roles = { "tkksd" }, outcome = "approved" },
    rancangan_pks_dikembalikan = { to = "penyusunan_pks", roles = { "tkksd" }, outcome = "rejected" },
  },
}

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

-- h. Pelaksanaan (Pasal 37): carried out per the kontrak/PKS; its results go to the kas daerah or
-- the region's assets (PP 28/2018 Pasal 20). Entering it starts the kedaluwarsa timer, due the
-- day after ends_on and moved by every later change of ends_on.
states.pelaksanaan = {
  status = "active",  -- signed and in force
  on = with(in_force(), {
    -- i. Penatausahaan (Pasal 38): the TKKSD keeps one original.
    naskah_diarsipkan = { to = "penatausahaan", roles = { "sekretariat", "tkksd" } },
  }),
  on_enter = rules.expiry_timer,
}

-- Pasal 37: the addendum. One that adds a burden on the public and the region needs DPRD approval
-- (Pasal 37(5)): the Kepala Daerah says so by choosing addendum_menambah_beban.
states.pelaksanaan_addendum = {
  stage = "pelaksanaan",
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = {
    addendum_disepakati = { to = "pelaksanaan", roles = { "kepala_daerah" }, requires = { "addendum" },
                            guard = new_addendum, outcome = "approved" },
    addendum_menambah_beban = { to = "persetujuan_dprd", roles = { "kepala_daerah" }, requires = { "addendum" },
                                guard = new_addendum },
    addendum_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    kedaluwarsa = { to = "kedaluwarsa" },  -- PP 28/2018 Pasal 9(1) huruf a, 22
  },
}

-- Pasal 32(3): perpanjangan by agreement: a new KB term (or an addendum extending it), given in
-- the note as the new end or the new start and end; validated and recorded, which moves the
-- kedaluwarsa timer.
states.pelaksanaan_perpanjangan = {
  stage = "pelaksanaan",
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = {
    -- Recorded by the Sekretariat TKKSD, which keeps the register (Pasal 38).
    perpanjangan_disepakati = { to = "pelaksanaan", roles = { "sekretariat", "tkksd" },
                                guard = rules.all(rules.extension_valid, new_term_document),
                                outcome = "approved" },
    perpanjangan_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    kedaluwarsa = { to = "kedaluwarsa" },  -- PP 28/2018 Pasal 9(1) huruf a, 22
  },
  on_exit = function(a, ctx)
    if ctx.event == "perpanjangan_disepakati" then rules.apply_extension(a, ctx) end
  end,
}

-- i. Penatausahaan (Pasal 38): the TKKSD keeps an original; then the semester reports begin.
states.penatausahaan = {
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = with(in_force(), {
    laporan_semester_disampaikan = { to = "pelaporan", roles = { "pd" }, requires = { "laporan_semester" } },
  }),
}

-- j. Pelaporan (Pasal 39): every semester, as for a KSDD. In force until it expires or ends.
states.pelaporan = {
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = with(in_force(), {
    laporan_semester_disampaikan = { to = "pelaporan", roles = { "pd" }, requires = { "laporan_semester" },
                                     guard = rules.fresh_document{ "laporan_semester" } },
  }),
}

-- The term ran out (PP 28/2018 Pasal 9(1) huruf a, 22).
states.kedaluwarsa = {
  stage = "pelaporan", status = "expired", final = true,
  on_enter = rules.record_expiry("jangka_waktu_berakhir"),
}

-- Ended on a ground of PP 28/2018 Pasal 9(1) or 22, recorded as ending_ground.
states.diakhiri = {
  stage = "pelaporan", status = "terminated", final = true,
  on_enter = rules.record_ending,
}

return {
  name = "ksdpk",
  title = "Kerja Sama Daerah dengan Pihak Ketiga (Permendagri 22/2020 Pasal 25-39)",
  applies_to = { kind = "ksdpk" },
  initial = "persiapan",
  states = states,
}
