-- A structural check of the shipped workflow definitions that needs no engine (the engine's
-- `sinergi workflow check` is the real one). Run by tools/workflow-lint.sh inside a workspace
-- whose workflows/lib/ holds copies of the definitions: arg[1..] are the definition names,
-- followed by "--fires" and the event names that timers (ctx.timer{ fire = … }) fire.
local kinds_stages = {
  ksdd = { "persiapan", "penawaran", "penyusunan_kb", "penandatanganan_kb", "persetujuan_dprd",
           "penyusunan_pks", "penandatanganan_pks", "pelaksanaan", "penatausahaan", "pelaporan" },
  sinergi = { "persiapan", "penawaran", "penyusunan_nk", "persetujuan_dprd", "penandatanganan_nk",
              "pelaksanaan", "penatausahaan", "pelaporan" },
  ksdpl = { "prakarsa", "penjajakan", "pernyataan_kehendak", "penyusunan_rencana", "persetujuan_dprd",
            "verifikasi", "penyusunan_naskah", "pembahasan", "persetujuan_menteri", "penandatanganan",
            "pelaksanaan" },
}
kinds_stages.ksdpk, kinds_stages.ksdll = kinds_stages.ksdd, kinds_stages.ksdpl
-- The stages the sample data set uses, per kind (data/sample_probolinggo.lua).
local sample_stages = {
  ksdd = { "pelaksanaan", "persetujuan_dprd", "pelaporan", "persiapan" },
  ksdpk = { "pelaksanaan", "penawaran", "pelaporan" },
  sinergi = { "persetujuan_dprd", "pelaksanaan" },
}
local set = function(list) local s = {} for _, v in ipairs(list) do s[v] = true end return s end
local roles = set{ "admin", "pd", "tkksd", "sekretariat", "hukum", "sekda", "kepala_daerah",
                   "dprd_pimpinan", "dprd_komisi", "provinsi" }
local documents = set{ "kak", "hasil_kajian_tkksd", "studi_kelayakan", "surat_penawaran",
  "surat_permintaan_tanggapan", "kesepakatan_bersama", "surat_permohonan_dprd", "hasil_kajian_komisi",
  "surat_persetujuan_dprd", "pks", "kontrak", "surat_kuasa", "nota_kesepakatan", "rencana_kerja",
  "addendum", "laporan_semester", "berita_acara" }
local statuses = set{ "draft", "active", "expired", "terminated" }
local outcomes = set{ "approved", "rejected", "deemed_approved" }

local names, timer_fires, mode = {}, {}, "names"
for _, value in ipairs(arg) do
  if value == "--fires" then mode = "fires"
  elseif mode == "names" then names[#names + 1] = value
  else timer_fires[value] = true end
end

local problems, summary = 0, {}
local function problem(def, text) problems = problems + 1; print(("%s: %s"):format(def, text)) end
local function sorted_keys(t) local k = {} for key in pairs(t) do k[#k + 1] = key end table.sort(k) return k end

for _, file in ipairs(names) do
  local def = require(file)
  if def.name ~= file then problem(file, "name is " .. tostring(def.name)) end
  local kinds = type(def.applies_to.kind) == "table" and def.applies_to.kind or { def.applies_to.kind }
  local states = def.states
  if not states[def.initial] then problem(file, "initial " .. tostring(def.initial) .. " is not a state") end
  local fired = {}
  for _, state in pairs(states) do
    if state.deadline then fired[state.deadline.fire] = true end
  end
  local events, timer_only, finals = 0, 0, 0
  for _, name in ipairs(sorted_keys(states)) do
    local state = states[name]
    local stage = state.stage or name
    for _, kind in ipairs(kinds) do
      if not set(kinds_stages[kind])[stage] then problem(file, ("%s: stage %s is not a %s stage"):format(name, stage, kind)) end
    end
    if name ~= stage and name:sub(1, #stage + 1) ~= stage .. "_" and not state.final then
      problem(file, ("%s: a sub-step of %s should be named %s_<step>"):format(name, stage, stage))
    end
    if state.status and not statuses[state.status] then problem(file, name .. ": unknown status " .. state.status) end
    if state.final then
      finals = finals + 1
      if state.on and next(state.on) then problem(file, name .. ": a final state has events") end
    else
      if not state.on or not next(state.on) then problem(file, name .. ": no way out") end
    end
    if state.deadline then
      if not (state.on or {})[state.deadline.fire] then problem(file, name .. ": its deadline fires an unknown event") end
      if not (state.deadline.days or state.deadline.workdays) then problem(file, name .. ": deadline without days") end
    end
    for event, e in pairs(state.on or {}) do
      events = events + 1
      local targets = type(e.to) == "table" and e.to or { e.to }
      for _, to in ipairs(targets) do
        if not states[to] then problem(file, ("%s.%s: to %s is not a state"):format(name, event, tostring(to))) end
      end
      if type(e.to) == "table" and type(e.route) ~= "function" then problem(file, name .. "." .. event .. ": a list of targets needs a route") end
      if e.route and type(e.to) ~= "table" then problem(file, name .. "." .. event .. ": route without a list of targets") end
      for _, r in ipairs(e.roles or {}) do
        if not roles[r] and not r:match("^pd:") then problem(file, name .. "." .. event .. ": unknown role " .. r) end
      end
      for _, k in ipairs(e.requires or {}) do
        if not documents[k] then problem(file, name .. "." .. event .. ": unknown document kind " .. k) end
      end
      if e.outcome and not outcomes[e.outcome] then problem(file, name .. "." .. event .. ": outcome " .. e.outcome) end
      if not e.roles or #e.roles == 0 then
        timer_only = timer_only + 1
        if not fired[event] and not timer_fires[event] then
          problem(file, ("%s.%s: no role may fire it and no deadline or timer does"):format(name, event))
        end
      end
    end
  end
  -- Reachability from initial.
  local seen, queue = { [def.initial] = true }, { def.initial }
  while #queue > 0 do
    local name = table.remove(queue)
    for _, e in pairs(states[name] and states[name].on or {}) do
      for _, to in ipairs(type(e.to) == "table" and e.to or { e.to }) do
        if states[to] and not seen[to] then seen[to] = true; queue[#queue + 1] = to end
      end
    end
  end
  for name in pairs(states) do
    if not seen[name] then problem(file, name .. ": unreachable from " .. def.initial) end
  end
  -- Every state reachable after entering an "active" state (the kedaluwarsa timer runs from
  -- pelaksanaan on) must accept kedaluwarsa, or the engine drops the timer there.
  -- A routed event (to = {…}) picks its target by the agreement: from an active agreement it
  -- does not lead back to the drafting states (those reachable before any active state).
  local before, q1 = { [def.initial] = true }, { def.initial }
  while #q1 > 0 do
    local name = table.remove(q1)
    for _, e in pairs(states[name].on or {}) do
      for _, to in ipairs(type(e.to) == "table" and e.to or { e.to }) do
        if states[to] and not before[to] and states[to].status ~= "active" then before[to] = true; q1[#q1 + 1] = to end
      end
    end
  end
  local after, q2 = {}, {}
  for name, state in pairs(states) do if state.status == "active" then after[name] = true; q2[#q2 + 1] = name end end
  while #q2 > 0 do
    local name = table.remove(q2)
    for _, e in pairs(states[name].on or {}) do
      for _, to in ipairs(type(e.to) == "table" and e.to or { e.to }) do
        local drafting = type(e.to) == "table" and before[to]
        if states[to] and not after[to] and not drafting then after[to] = true; q2[#q2 + 1] = to end
      end
    end
  end
  for name in pairs(after) do
    local state = states[name]
    if not state.final and not (state.on or {}).kedaluwarsa then problem(file, name .. ": in force but does not accept kedaluwarsa") end
  end
  -- Every DPRD sub-step after the request accepts the deemed approval.
  for name, state in pairs(states) do
    if name:match("^persetujuan_dprd_") and not (state.on or {}).dianggap_disetujui then
      problem(file, name .. ": does not accept dianggap_disetujui (the dprd_45 timer)")
    end
  end
  -- Samples adopt the state named after their stage.
  for _, kind in ipairs(kinds) do
    for _, stage in ipairs(sample_stages[kind] or {}) do
      if not states[stage] then problem(file, ("no state %s for the sample %s agreements at that stage"):format(stage, kind)) end
    end
  end
  local count = #sorted_keys(states)
  summary[#summary + 1] = ("%-12s %2d states (%d final), %3d events (%d fired by deadlines/timers), kinds %s")
    :format(file, count, finals, events, timer_only, table.concat(kinds, ","))
end
for _, line in ipairs(summary) do print(line) end
print(problems == 0 and "OK: no problems" or ("%d problem(s)"):format(problems))
if problems > 0 then error("workflow lint failed") end
