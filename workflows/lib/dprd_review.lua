-- The DPRD's review of a cooperation plan (persetujuan DPRD), as states to merge into a track:
--
--   local dprd = require("dprd_review")
--   for name, state in pairs(dprd.ksdd{ after = "penyusunan_pks", back = "penyusunan_kb" }) do
--     states[name] = state
--   end
--
-- One builder per procedure: ksdd (Permendagri 22/2020 Pasal 12), ksdpk (Pasal 34), sinergi
-- (Pasal 56), luar_negeri (PP 28/2018 Pasal 30; Permendagri 25/2020 Pasal 16-17). Every builder
-- makes a first state named `persetujuan_dprd` (the stage's own name, so an agreement already at
-- that stage is adopted there) where the request is prepared, and sub-steps
-- `persetujuan_dprd_<step>`, all with stage = "persetujuan_dprd". Options:
--   after, back            where an approval and a rejection lead (a rejection returns the draft
--                          for revision)
--   after_active,          the same while the agreement is already active: an addendum that adds a
--   back_active            burden comes back here (Permendagri 22/2020 Pasal 15(6), 37(5), 58)
--   basis, basis_active    document kinds the request goes with (e.g. the signed KB; the addendum)
--   also                   more events every sub-step must accept, e.g. the kedaluwarsa timer's,
--                          so that a timer running across the review is never dropped
--
-- Every outcome is recorded as approved, rejected or deemed_approved.
--
-- Periods follow the one rule of every period: N days counted from a date start the day after it
-- (day 1) and end with day N; the timer fires at the start of the next day. A request received on
-- 1 March with 45 days is deemed approved at the start of 16 April.
-- Permendagri 22/2020 says "hari" (Pasal 12, 34(6), 56(6)); calendar days are the literal reading,
-- how regions count is UNCONFIRMED (domain.md 4.3), so sinergi.lua decides:
--   workflows = { dprd_days = "days" (default) | "workdays",
--                 dprd_first_day = "after_receipt" (default) | "receipt" }
-- The start of the 45 days is not stated either (Pasal 12(4) refers back to the request;
-- presumably its receipt, UNCONFIRMED): "after_receipt" makes the day after receipt day 1,
-- "receipt" makes the day of receipt day 1. Foreign cooperation counts 45 hari kerja by law
-- (PP 28/2018 Pasal 30(4); Permendagri 25/2020 Pasal 17(2)-(3)), whatever dprd_days says.
-- The day of receipt is the date of the latest surat_permohonan_dprd, else the day the request is
-- recorded.

local STAGE = "persetujuan_dprd"
local DECIDED = { approved = true, rejected = true, deemed_approved = true }

local M = {}

-- The unit of a DPRD period: the law's when it names one, else the workspace's choice (sinergi.lua
-- checks that dprd_days is "days" or "workdays" and dprd_first_day "after_receipt" or "receipt").
local function unit(ctx, by_law)
  return by_law or (ctx.settings.dprd_days == "workdays" and "workdays" or "days")
end

-- The `from` of a period that starts with a receipt (see the rule above).
local function counted_from(ctx, received)
  if ctx.settings.dprd_first_day == "receipt" then return received - 1 end
  return received
end

-- Starts (or replaces) a named timer of `n` days that deems the request approved.
local function deemed_approval_timer(ctx, name, n, by_law, received)
  local spec = { name = name, from = counted_from(ctx, received), fire = "dianggap_disetujui" }
  spec[unit(ctx, by_law)] = n
  ctx.timer(spec)
end

-- The day the DPRD received the request: the date of the latest request letter, else today.
local function received(a, ctx)
  local letter = a:document("surat_permohonan_dprd")
  return letter and letter.date or ctx.today
end

-- When the DPRD last decided on this agreement (a timestamp from the workflow history), if ever.
local function last_decision(a)
  local at
  for _, entry in ipairs(a:history()) do
    if DECIDED[entry.outcome] and type(entry.from) == "string" and entry.from:sub(1, #STAGE) == STAGE then
      at = entry.at
    end
  end
  return at
end

-- The request goes with its basis documents and a letter of this round (not one the DPRD has
-- already decided on, not dated in the future).
local function request_ready(basis, basis_active)
  return function(a, ctx)
    local needed = (a.status == "active" and basis_active or basis) or {}
    for _, kind in ipairs(needed) do
      if not a:document(kind) then
        return false, ("the request to the DPRD goes with the %s: attach it first (a:attach{ kind = %q, … })"):format(kind, kind)
      end
    end
    local letter = a:document("surat_permohonan_dprd")
    if not letter then
      return false, "attach the request letter (surat_permohonan_dprd) first"
    end
    if letter.date and letter.date > ctx.today then
      return false, ("the request letter is dated %s, after today; the DPRD's period counts from its receipt"):format(letter.date)
    end
    local decided = last_decision(a)
    if decided and (letter.recorded_at or "") <= decided then
      return false, ("the latest surat_permohonan_dprd belongs to the request the DPRD decided on %s; attach this round's letter")
        :format(decided:sub(1, 10))
    end
    return true
  end
end

-- `to` (and `route`) of an outcome: the draft's target, or the active agreement's.
local function target(draft, active)
  if not active or active == draft then return draft, nil end
  return { draft, active }, function(a) return a.status == "active" and active or draft end
end

local function copy(event)
  local out = {}
  for key, value in pairs(event) do out[key] = value end
  return out
end

-- Builds the states: `steps` lists { name, state } in order; the first is the request.
local function build(opts, steps)
  assert(opts.after and opts.back, "dprd_review: after and back are required")
  local names = {}
  for _, step in ipairs(steps) do names[step[1]] = true end
  local states = {}
  for index, step in ipairs(steps) do
    local name, state = step[1], step[2]
    state.stage = STAGE
    state.on = state.on or {}
    for event, def in pairs(opts.also or {}) do state.on[event] = copy(def) end
    if index > 1 then
      -- Leaving the DPRD step (approved, rejected, deemed approved, or an `also` event) ends
      -- every DPRD clock; moving between its sub-steps keeps them.
      local own_exit = state.on_exit
      state.on_exit = function(a, ctx)
        if own_exit then own_exit(a, ctx) end
        if not names[ctx.to] then
          ctx.cancel("dprd_45")
          if ctx.event == "dianggap_disetujui" then
            ctx.notify{ to = "role:sekretariat", key = ("dprd:dianggap_disetujui:%s:%s"):format(a.number, ctx.today),
                        subject = ("%s: dianggap disetujui DPRD"):format(a.number),
                        body = ("The DPRD took no position in time; the request is deemed approved (%s)."):format(opts.citation) }
          end
        end
      end
    end
    states[name] = state
  end
  return states
end

-- The decision events every post-request sub-step shares.
local function outcomes(opts, with_decision)
  local after, after_route = target(opts.after, opts.after_active)
  local back, back_route = target(opts.back, opts.back_active)
  local on = {
    -- Silence of the DPRD: deemed approved (fired only by the dprd_45 / dprd_15 timers).
    dianggap_disetujui = { to = after, route = after_route, outcome = "deemed_approved" },
  }
  if with_decision then
    -- Approval, signed by the Pimpinan DPRD (a letter of the Pimpinan DPRD).
    on.disetujui = { to = after, route = after_route, roles = { "dprd_pimpinan" },
                     requires = { "surat_persetujuan_dprd" }, outcome = "approved" }
    -- Not approved: the draft goes back for revision.
    on.ditolak = { to = back, route = back_route, roles = { "dprd_pimpinan" }, outcome = "rejected" }
  end
  return on
end

local function merge(into, from)
  for key, value in pairs(from) do into[key] = value end
  return into
end

-- KSDD, Permendagri 22/2020 Pasal 11-12.
function M.ksdd(opts)
  opts.citation = "Permendagri 22/2020 Pasal 12(1) huruf f, 12(4)"
  return build(opts, {
    -- Pasal 12(1), step 1: the Kepala Daerah sends the request, with the signed KB and the draft
    -- PKS, to the Pimpinan DPRD (prepared by the PD in charge of kerja sama, Pasal 11(2)).
    -- Pasal 12(4): from its receipt, 45 days without a position from the DPRD = deemed approved;
    -- the dprd_45 timer runs across every sub-step below.
    { "persetujuan_dprd", {
      on = {
        permohonan_diajukan = { to = "persetujuan_dprd_pimpinan", roles = { "kepala_daerah" },
                                requires = { "surat_permohonan_dprd" },
                                guard = request_ready(opts.basis, opts.basis_active) },
      },
      on_exit = function(a, ctx)
        if ctx.event == "permohonan_diajukan" then
          deemed_approval_timer(ctx, "dprd_45", 45, nil, received(a, ctx))  -- Pasal 12(4)
        end
      end,
    } },
    -- Pasal 12(1), step 2: within 15 days of receipt the Pimpinan DPRD passes the draft PKS to the
    -- komisi in charge of kerja sama (Pasal 12(2)). The law gives this 15 days no consequence of
    -- its own; the 45 days of Pasal 12(4) keep running.
    { "persetujuan_dprd_pimpinan", {
      on = merge({
        diteruskan_ke_komisi = { to = "persetujuan_dprd_komisi", roles = { "dprd_pimpinan" } },
      }, outcomes(opts)),
    } },
    -- Pasal 12(1), step 3: the komisi reviews; the Pimpinan DPRD sends its review (hasil kajian)
    -- to the Kepala Daerah.
    { "persetujuan_dprd_komisi", {
      on = merge({
        kajian_komisi_disampaikan = { to = "persetujuan_dprd_tindak_lanjut", roles = { "dprd_komisi", "dprd_pimpinan" },
                                      requires = { "hasil_kajian_komisi" } },
      }, outcomes(opts)),
    } },
    -- Pasal 12(1), step 4: the Kepala Daerah acts on the review within 15 days and resubmits.
    -- No consequence is written for a late resubmission; the 45 days keep running (domain.md 4.3:
    -- track both clocks).
    { "persetujuan_dprd_tindak_lanjut", {
      on = merge({
        permohonan_diajukan_kembali = { to = "persetujuan_dprd_keputusan", roles = { "kepala_daerah" } },
      }, outcomes(opts)),
    } },
    -- Pasal 12(1), step 5, and 12(1) huruf f: the Pimpinan DPRD approves within 15 days of receiving the
    -- resubmission, else it is deemed approved (timer dprd_15); Pasal 12(3): the approval is
    -- signed by the Pimpinan DPRD. A rejection returns the draft for revision.
    { "persetujuan_dprd_keputusan", {
      on = outcomes(opts, true),
      on_enter = function(a, ctx)
        -- The resubmission is received on the date of a request letter newer than the komisi's
        -- review, else on the day it is recorded.
        local letter, review = a:document("surat_permohonan_dprd"), a:document("hasil_kajian_komisi")
        local day = ctx.today
        if letter and letter.date and review and review.date and letter.date >= review.date then day = letter.date end
        deemed_approval_timer(ctx, "dprd_15", 15, nil, day)  -- Pasal 12(1) huruf f
      end,
      on_exit = function(a, ctx) ctx.cancel("dprd_15") end,
    } },
  })
end

-- KSDPK (Permendagri 22/2020 Pasal 34) and Sinergi (Pasal 56): the request, the komisi, the
-- sidang paripurna; 45 days without a position = deemed approved.
local function paripurna(opts, pasal)
  opts.citation = ("Permendagri 22/2020 Pasal %d(6)"):format(pasal)
  local decision = outcomes(opts, true)
  return build(opts, {
    -- Pasal 34(2) / 56(2): the PD in charge of kerja sama (the sekretariat) prepares the request
    -- with its basis documents (opts.basis); the Kepala Daerah sends it.
    -- Pasal 34(6) / 56(6): 45 days from its receipt without a position = deemed approved.
    { "persetujuan_dprd", {
      on = {
        permohonan_diajukan = { to = "persetujuan_dprd_komisi", roles = { "sekretariat", "kepala_daerah" },
                                requires = { "surat_permohonan_dprd" },
                                guard = request_ready(opts.basis, opts.basis_active) },
      },
      on_exit = function(a, ctx)
        if ctx.event == "permohonan_diajukan" then
          deemed_approval_timer(ctx, "dprd_45", 45, nil, received(a, ctx))
        end
      end,
    } },
    -- The komisi reviews the request and passes it to the Pimpinan DPRD for the sidang paripurna.
    { "persetujuan_dprd_komisi", {
      on = merge({
        diteruskan_ke_paripurna = { to = "persetujuan_dprd_paripurna", roles = { "dprd_komisi" } },
      }, outcomes(opts)),
    } },
    -- Approval in the sidang paripurna, given as a letter of the Pimpinan DPRD.
    { "persetujuan_dprd_paripurna", {
      on = decision,
      on_exit = opts.notify_tkksd and function(a, ctx)
        -- Pasal 56(7): the DPRD's result goes to the TKKSD.
        if ctx.event == "disetujui" or ctx.event == "ditolak" or ctx.event == "dianggap_disetujui" then
          ctx.notify{ to = "role:tkksd", key = ("dprd:hasil:%s:%s"):format(a.number, ctx.today),
                      subject = ("%s: hasil persetujuan DPRD"):format(a.number),
                      body = ("DPRD: %s (Permendagri 22/2020 Pasal 56(7))."):format(ctx.event) }
        end
      end or nil,
    } },
  })
end

-- KSDPK: the request goes with the signed KB, the draft PKS and the company profile (Pasal 34).
-- No document kind exists for the draft PKS or the company profile; the signed KB is checked.
function M.ksdpk(opts) return paripurna(opts, 34) end

-- Sinergi: the request goes with the Nota Kesepakatan and Rencana Kerja, before signing (Pasal 56).
function M.sinergi(opts)
  opts.notify_tkksd = true
  return paripurna(opts, 56)
end

-- Foreign cooperation: DPRD approval is always required (PP 28/2018 Pasal 30(1); Permendagri
-- 25/2020 Pasal 16); 45 hari kerja from the Sekretariat DPRD's receipt of the letter, then deemed
-- approved (PP 28/2018 Pasal 30(4); Permendagri 25/2020 Pasal 17(2)-(3)).
function M.luar_negeri(opts)
  opts.citation = "PP 28/2018 Pasal 30(4); Permendagri 25/2020 Pasal 17(3)"
  return build(opts, {
    { "persetujuan_dprd", {
      on = {
        permohonan_diajukan = { to = "persetujuan_dprd_pembahasan", roles = { "kepala_daerah", "sekretariat" },
                                requires = { "surat_permohonan_dprd" },
                                guard = request_ready(opts.basis, opts.basis_active) },
      },
      on_exit = function(a, ctx)
        if ctx.event == "permohonan_diajukan" then
          deemed_approval_timer(ctx, "dprd_45", 45, "workdays", received(a, ctx))  -- hari kerja by law
        end
      end,
    } },
    -- The DPRD deliberates and decides (Permendagri 25/2020 Pasal 16-17).
    { "persetujuan_dprd_pembahasan", { on = outcomes(opts, true) } },
  })
end

return M
