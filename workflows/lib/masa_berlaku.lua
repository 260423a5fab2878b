-- The life of a domestic agreement after signing (masa berlaku), as states to merge into a track:
--
--   local masa_berlaku = require("masa_berlaku")
--   for name, state in pairs(masa_berlaku.states{ term_document = "kesepakatan_bersama",
--                                                 signed_event = "kb_ditandatangani", reporter = "pd" }) do
--     states[name] = state
--   end
--
-- A KSDD (Permendagri 22/2020 Pasal 15-17), a KSDPK (Pasal 37-39) and a Sinergi with a K/L (Pasal
-- 58-60) live the same way once signed: in force (pelaksanaan), changed by an addendum, extended by
-- agreement of the parties, its original kept (penatausahaan), reported on every semester
-- (pelaporan), until its term runs out (kedaluwarsa, PP 28/2018 Pasal 9(1) huruf a; for a KSDPK by
-- PP 28/2018 Pasal 22) or it is ended on a ground of PP 28/2018 Pasal 9(1) (a KSDPK also PP 28/2018
-- Pasal 22). Each track cites its own Pasal where it calls this. Foreign cooperation (luar_negeri) lives otherwise
-- (Permendagri 25/2020 Pasal 32-34) and has its own states. Every Pasal below is Permendagri
-- 22/2020 unless another instrument is named. Options (what differs between tracks):
--   term_document   the kind that carries a term: "kesepakatan_bersama" (KSDD, KSDPK) or
--                   "nota_kesepakatan" (Sinergi); a perpanjangan needs a new one or a new addendum
--   signed_event    the event that signed it: "kb_ditandatangani" or "nk_ditandatangani"
--   reporter        the role that sends the semester report: "pd" (the PD Pemrakarsa, Pasal 17, 39)
--                   or "tkksd" (Pasal 60)
-- The track must have a `persetujuan_dprd` state (lib/dprd_review.lua) for an addendum that adds a
-- burden (Pasal 15(6), 37(5), 58); its sub-steps take M.term_events() as `also`.
local rules = require("ksd_rules")

local M = {}

-- The event of the kedaluwarsa timer (rules.expiry_timer): every state while the agreement is in
-- force accepts it, so that a timer running across a step is never dropped.
function M.term_events()
  return { kedaluwarsa = { to = "kedaluwarsa" } }
end

local function with(on, more)
  for event, def in pairs(more) do on[event] = def end
  return on
end

-- The events of an agreement in force, in every state after signing.
local function in_force()
  return with({
    -- The addendum (Permendagri 22/2020 Pasal 15(3)-(5), 37, 58), prepared by the PD Pemrakarsa
    -- with the TKKSD.
    addendum_disiapkan = { to = "pelaksanaan_addendum", roles = { "pd", "tkksd" } },
    -- Perpanjangan by agreement of the parties (a KB: Pasal 9(3), 32(3); a Nota Kesepakatan: by
    -- analogy, domain.md 5.1).
    perpanjangan_diajukan = { to = "pelaksanaan_perpanjangan", roles = { "pd", "tkksd" } },
    -- Pengakhiran on a ground of PP 28/2018 Pasal 9(1) (a KSDPK also PP 28/2018 Pasal 22); not by a
    -- change of leadership (PP 28/2018 Pasal 9(2)). The ground goes in the note, the berita acara
    -- records it, and the Sekretariat TKKSD, which keeps the register (Pasal 10(3), 16, 38), records
    -- the end.
    diakhiri = { to = "diakhiri", roles = { "sekretariat", "tkksd" }, requires = { "berita_acara" },
                 guard = rules.ending_ground },
  }, M.term_events())  -- PP 28/2018 Pasal 9(1) huruf a: the term has run out (timer, after ends_on)
end

-- The states, named as every track names them; see the options above.
function M.states(opts)
  for _, key in ipairs{ "term_document", "signed_event", "reporter" } do
    if type(opts[key]) ~= "string" then
      error(("masa_berlaku.states: give %s (see lib/masa_berlaku.lua)"):format(key), 2)
    end
  end
  -- An addendum not yet agreed, and a document of a new term not yet used (see ksd_rules).
  local new_addendum = rules.fresh_document({ "addendum" }, { "addendum_disepakati", "addendum_menambah_beban" })
  local new_term_document = rules.fresh_document({ opts.term_document, "addendum" },
    { opts.signed_event, "perpanjangan_disepakati", "addendum_disepakati", "addendum_menambah_beban" })
  local states = {}

  -- Pelaksanaan: the parties carry out what they signed. Entering it starts the kedaluwarsa
  -- timer, due the day after ends_on and moved by every later change of ends_on.
  states.pelaksanaan = {
    status = "active",  -- signed and in force
    on = with(in_force(), {
      -- Penatausahaan (Pasal 16, 38): the TKKSD keeps one original.
      naskah_diarsipkan = { to = "penatausahaan", roles = { "sekretariat", "tkksd" } },
    }),
    on_enter = rules.expiry_timer,
  }

  -- The addendum. One that adds a burden on the public (and the region / the APBD) needs DPRD
  -- approval (Pasal 15(6), 37(5), 58): the Kepala Daerah says so by choosing addendum_menambah_beban.
  states.pelaksanaan_addendum = {
    stage = "pelaksanaan",
    on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
    on = with({
      addendum_disepakati = { to = "pelaksanaan", roles = { "kepala_daerah" }, requires = { "addendum" },
                              guard = new_addendum, outcome = "approved" },
      addendum_menambah_beban = { to = "persetujuan_dprd", roles = { "kepala_daerah" }, requires = { "addendum" },
                                  guard = new_addendum },
      addendum_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    }, M.term_events()),
  }

  -- Perpanjangan by agreement of the parties: a new term_document term (or an addendum extending
  -- it), given in the note as the new end or the new start and end; validated (later than the
  -- current end; the store checks the legal maximum, e.g. 5 years for a KB) and recorded, which
  -- moves the kedaluwarsa timer.
  states.pelaksanaan_perpanjangan = {
    stage = "pelaksanaan",
    on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
    on = with({
      -- Recorded by the Sekretariat TKKSD, which keeps the register (Pasal 10(3), 16, 38).
      perpanjangan_disepakati = { to = "pelaksanaan", roles = { "sekretariat", "tkksd" },
                                  guard = rules.all(rules.extension_valid, new_term_document),
                                  outcome = "approved" },
      perpanjangan_dibatalkan = { to = "pelaksanaan", roles = { "pd", "tkksd" } },
    }, M.term_events()),
    on_exit = function(a, ctx)
      if ctx.event == "perpanjangan_disepakati" then rules.apply_extension(a, ctx) end
    end,
  }

  -- Penatausahaan: the TKKSD keeps an original; then the semester reports begin.
  states.penatausahaan = {
    on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
    on = with(in_force(), {
      laporan_semester_disampaikan = { to = "pelaporan", roles = { opts.reporter }, requires = { "laporan_semester" } },
    }),
  }

  -- Pelaporan (Pasal 17, 39, 60): every semester, this semester's report. The agreement stays in
  -- force here until it expires or ends.
  states.pelaporan = {
    on_enter = rules.expiry_timer,  -- also for an agreement adopted here (workflow start --at)
    on = with(in_force(), {
      laporan_semester_disampaikan = { to = "pelaporan", roles = { opts.reporter }, requires = { "laporan_semester" },
                                       guard = rules.fresh_document{ "laporan_semester" } },
    }),
  }

  -- The term ran out (PP 28/2018 Pasal 9(1) huruf a). Stage: the last, pelaporan.
  states.kedaluwarsa = {
    stage = "pelaporan", status = "expired", final = true,
    on_enter = rules.record_expiry("jangka_waktu_berakhir"),
  }

  -- Ended on a ground of PP 28/2018 Pasal 9(1) (or 22), recorded as ending_ground.
  states.diakhiri = {
    stage = "pelaporan", status = "terminated", final = true,
    on_enter = rules.record_ending,
  }

  return states
end

return M
