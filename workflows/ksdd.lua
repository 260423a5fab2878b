-- Kerja Sama Daerah dengan Daerah Lain (KSDD): the ten stages of PP 28/2018 Pasal 6(1) and
-- Permendagri 22/2020 Pasal 6, carried out as Pasal 7-17 say. Every Pasal below is Permendagri
-- 22/2020 unless another instrument is named.
--
-- Edit freely: an agreement already running stays on the version it started with; the next one
-- uses this file. `sinergi workflow check ksdd` checks an edit; `sinergi workflow graph ksdd`
-- draws it. Periods are counted by one rule: N days from a date start the day after it.
local dprd = require("dprd_review")
local rules = require("ksd_rules")

local states = {}

-- An addendum not yet agreed, and a document of a new term not yet used (see ksd_rules).
local new_addendum = rules.fresh_document({ "addendum" }, { "addendum_disepakati", "addendum_menambah_beban" })
local new_term_document = rules.fresh_document({ "kesepakatan_bersama", "addendum" },
  { "kb_ditandatangani", "perpanjangan_disepakati", "addendum_disepakati", "addendum_menambah_beban" })

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
      body = ("The partner has not answered the offer \"%s\" within 30 days, nor within 15 days of the "
        .. "second request. Reported to the Gubernur as wakil Pemerintah Pusat "
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

-- d. Penandatanganan KB (Pasal 10): both Kepala Daerah sign. DPRD approval follows only when the
-- plan burdens the public and the region or is not yet budgeted in this year's APBD (PP 28/2018
-- Pasal 6(2); Pasal 11(1)): the agreement's needs_dprd_approval.
states.penandatanganan_kb = {
  on = {
    kb_ditandatangani = {
      to = { "persetujuan_dprd", "penyusunan_pks" },
      route = function(a) return a.needs_dprd_approval and "persetujuan_dprd" or "penyusunan_pks" end,
      roles = { "kepala_daerah" }, requires = { "kesepakatan_bersama" },
      guard = rules.term_recorded("Kesepakatan Bersama", "at most 5 years, Permendagri 22/2020 Pasal 9(3)"),
      outcome = "approved",
    },
  },
}

-- The events of an agreement in force, in every state after signing.
local function in_force()
  return {
    -- Pasal 15(3)-(5): with strong reasons the Kepala Daerah may change the PKS (addendum),
    -- prepared by the PD Pemrakarsa with the TKKSD.
    addendum_disiapkan = { to = "pelaksanaan_addendum", roles = { "pd", "tkksd" } },
    -- Pasal 9(3): the KB may be extended by agreement of the parties.
    perpanjangan_diajukan = { to = "pelaksanaan_perpanjangan", roles = { "pd", "tkksd" } },
    -- PP 28/2018 Pasal 9(1): ends when its objective is achieved, the parties agree, a change of
    -- policy makes it impossible, or its object is lost; not by a change of leadership (Pasal
    -- 9(2)). The ground goes in the note, the berita acara records it, and the Sekretariat TKKSD,
    -- which keeps the register (Pasal 10(3), 16), records the end.
    diakhiri = { to = "diakhiri", roles = { "sekretariat", "tkksd" }, requires = { "berita_acara" },
                 guard = rules.ending_ground },
    -- PP 28/2018 Pasal 9(1) huruf a: the term has run out (timer "kedaluwarsa", after ends_on).
    kedaluwarsa = { to = "kedaluwarsa" },
  }
end

local function with(on, more)
  for event, def in pairs(more) do on[event] = def end
  return on
end

-- e. Persetujuan DPRD (Pasal 11-12), only when needs_dprd_approval: the request with the signed
-- KB goes to the Pimpinan DPRD; 15 + 15 + 15 days and, at the same time, 45 days then deemed
-- approved (Pasal 12(1) huruf f, 12(4)); see lib/dprd_review.lua. A rejection returns the KB for
-- revision. An addendum that adds a burden on the public comes back here while the agreement is
-- active (Pasal 15(6)) and then returns to pelaksanaan.
for name, state in pairs(dprd.ksdd{
  after = "penyusunan_pks", back = "penyusunan_kb",
  after_active = "pelaksanaan", back_active = "pelaksanaan",
  basis = { "kesepakatan_bersama" }, basis_active = { "addendum" },
  also = { kedaluwarsa = { to = "kedaluwarsa" } },  -- an active agreement's term keeps running
}) do states[name] = state end

-- f. Penyusunan PKS (Pasal 13): the PD Pemrakarsa drafts the PKS (experts may help) ...
states.penyusunan_pks = {
  on = {
    rancangan_pks_diajukan = { to = "penyusunan_pks_pembahasan", roles = { "pd" } },
  },
}

-- ... and the TKKSD discusses it with the parties (Pasal 13). Its content: Pasal 41.
states.penyusunan_pks_pembahasan = {
  stage = "penyusunan_pks",
  on = {
    rancangan_pks_disepakati = { to = "penandatanganan_pks", roles = { "tkksd" }, outcome = "approved" },
    rancangan_pks_dikembalikan = { to = "penyusunan_pks", roles = { "tkksd" }, outcome = "rejected" },
  },
}

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
      body = "Send a photocopy of the signed PKS (and of the surat kuasa, if any) to the Sekretariat TKKSD "
        .. "(Permendagri 22/2020 Pasal 14(4)).",
    }
  end,
}

-- h. Pelaksanaan (Pasal 15): the parties carry out the PKS. Entering it starts the kedaluwarsa
-- timer, due the day after ends_on and moved by every later change of ends_on.
states.pelaksanaan = {
  status = "active",  -- signed and in force
  on = with(in_force(), {
    -- i. Penatausahaan (Pasal 16): the TKKSD keeps one original.
    naskah_diarsipkan = { to = "penatausahaan", roles = { "sekretariat", "tkksd" } },
  }),
  on_enter = rules.expiry_timer,
}

-- Pasal 15(3)-(6): the addendum. One that adds a burden on the public needs DPRD approval
-- (Pasal 15(6)): the Kepala Daerah says so by choosing addendum_menambah_beban.
states.pelaksanaan_addendum = {
  stage = "pelaksanaan",
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = {
    addendum_disepakati = { to = "pelaksanaan", roles = { "kepala_daerah" }, requires = { "addendum" },
                            guard = new_addendum, outcome = "approved" },
    addendum_menambah_beban = { to = "persetujuan_dprd", roles = { "kepala_daerah" }, requires = { "addendum" },
                                guard = new_addendum },
    addendum_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    kedaluwarsa = { to = "kedaluwarsa" },  -- PP 28/2018 Pasal 9(1) huruf a
  },
}

-- Pasal 9(3): perpanjangan by agreement of the parties: a new KB term (or an addendum extending
-- it), given in the note as the new end or the new start and end; validated (later than the
-- current end, at most 5 years) and recorded, which moves the kedaluwarsa timer.
states.pelaksanaan_perpanjangan = {
  stage = "pelaksanaan",
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = {
    -- Recorded by the Sekretariat TKKSD, which keeps the register (Pasal 10(3), 16).
    perpanjangan_disepakati = { to = "pelaksanaan", roles = { "sekretariat", "tkksd" },
                                guard = rules.all(rules.extension_valid, new_term_document),
                                outcome = "approved" },
    perpanjangan_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    kedaluwarsa = { to = "kedaluwarsa" },  -- PP 28/2018 Pasal 9(1) huruf a
  },
  on_exit = function(a, ctx)
    if ctx.event == "perpanjangan_disepakati" then rules.apply_extension(a, ctx) end
  end,
}

-- i. Penatausahaan (Pasal 16): the TKKSD keeps an original; then the semester reports begin.
states.penatausahaan = {
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = with(in_force(), {
    laporan_semester_disampaikan = { to = "pelaporan", roles = { "pd" }, requires = { "laporan_semester" } },
  }),
}

-- j. Pelaporan (Pasal 17): the PD Pemrakarsa reports every semester to the Bupati/Wali Kota (or
-- Gubernur), upwards as input for the Menteri's and Gubernur's evaluation. The agreement stays in
-- force here until it expires or ends.
states.pelaporan = {
  on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
  on = with(in_force(), {
    laporan_semester_disampaikan = { to = "pelaporan", roles = { "pd" }, requires = { "laporan_semester" },
                                     guard = rules.fresh_document{ "laporan_semester" } },
  }),
}

-- The term ran out (PP 28/2018 Pasal 9(1) huruf a). Stage: the last, pelaporan.
states.kedaluwarsa = {
  stage = "pelaporan", status = "expired", final = true,
  on_enter = rules.record_expiry("jangka_waktu_berakhir"),
}

-- Ended on a ground of PP 28/2018 Pasal 9(1), recorded as ending_ground.
states.diakhiri = {
  stage = "pelaporan", status = "terminated", final = true,
  on_enter = rules.record_ending,
}

return {
  name = "ksdd",
  title = "Kerja Sama Daerah dengan Daerah Lain (Permendagri 22/2020 Pasal 6-17)",
  applies_to = { kind = "ksdd" },
  initial = "persiapan",
  states = states,
}
