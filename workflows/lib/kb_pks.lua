-- From the Kesepakatan Bersama to the PKS, the same for a KSDD (Permendagri 22/2020 Pasal 10-13)
-- and a KSDPK (Pasal 33-35), as states to merge into a track:
--
--   local kb_pks = require("kb_pks")
--   for name, state in pairs(kb_pks.states{ kb_maximum = "Permendagri 22/2020 Pasal 9(3)" }) do
--     states[name] = state
--   end
--
-- penandatanganan_kb: the Kepala Daerah signs the KB once its term is recorded (at most 5 years,
-- `kb_maximum` says where the track's law sets it). DPRD approval follows only when the plan burdens
-- the public and the region or is not yet budgeted in this year's APBD (PP 28/2018 Pasal 6(2)):
-- the agreement's needs_dprd_approval leads to the track's persetujuan_dprd (lib/dprd_review.lua),
-- else to penyusunan_pks.
-- penyusunan_pks, penyusunan_pks_pembahasan: the PD Pemrakarsa drafts the PKS (experts may help)
-- and the TKKSD discusses it with the parties; agreed, it goes to penandatanganan_pks, which each
-- track writes itself (who signs, and what is attached, differ). Its content: Pasal 41.
local rules = require("ksd_rules")

local M = {}

function M.states(opts)
  if type(opts.kb_maximum) ~= "string" then
    error("kb_pks.states: give kb_maximum, the Pasal of the KB's 5 years (see lib/kb_pks.lua)", 2)
  end
  local states = {}

  states.penandatanganan_kb = {
    on = {
      kb_ditandatangani = {
        to = { "persetujuan_dprd", "penyusunan_pks" },
        route = function(a) return a.needs_dprd_approval and "persetujuan_dprd" or "penyusunan_pks" end,
        roles = { "kepala_daerah" }, requires = { "kesepakatan_bersama" },
        guard = rules.term_recorded("Kesepakatan Bersama", "at most 5 years, " .. opts.kb_maximum),
        outcome = "approved",
      },
    },
  }

  states.penyusunan_pks = {
    on = {
      rancangan_pks_diajukan = { to = "penyusunan_pks_pembahasan", roles = { "pd" } },
    },
  }

  states.penyusunan_pks_pembahasan = {
    stage = "penyusunan_pks",
    on = {
      rancangan_pks_disepakati = { to = "penandatanganan_pks", roles = { "tkksd" }, outcome = "approved" },
      rancangan_pks_dikembalikan = { to = "penyusunan_pks", roles = { "tkksd" }, outcome = "rejected" },
    },
  }

  return states
end

return M
