-- Guards and actions the tracks share: signing, the PKS's minimum content, the life after signing
-- (addendum, perpanjangan, pengakhiran, kedaluwarsa). Each track cites its own Pasal where it uses
-- them. A guard returns true, or false and the reason the event is refused.
local R = {}

-- All guards must pass; the first refusal is the answer.
function R.all(...)
  local guards = { ... }
  return function(a, ctx)
    for _, guard in ipairs(guards) do
      local ok, why = guard(a, ctx)
      if not ok then return false, why end
    end
    return true
  end
end

-- The term of what is signed (KB / Nota Kesepakatan / naskah) is recorded before signing: its end
-- is what the kedaluwarsa timer follows. `pasal` says where the term comes from.
function R.term_recorded(what, pasal)
  return function(a)
    if not a.starts_on or not a.ends_on then
      return false, ("record the term of the %s first (agreement edit %s --set starts_on=YYYY-MM-DD --set ends_on=YYYY-MM-DD; %s)")
        :format(what, a.number, pasal)
    end
    return true
  end
end

-- At least one of `kinds` is attached.
function R.any_document(kinds)
  return function(a)
    for _, kind in ipairs(kinds) do
      if a:document(kind) then return true end
    end
    return false, ("attach the signed %s first"):format(table.concat(kinds, " or "))
  end
end

-- The signed PKS / kontrak has the minimum clauses (Permendagri 22/2020 Pasal 41; for a KSDPK
-- also the sanctions of PP 28/2018 Pasal 19(2)); the agreement's pks_clauses records them.
function R.pks_clauses(a)
  local missing = a.missing_pks_clauses or {}
  if #missing > 0 then
    return false, ("the PKS lacks the minimum clauses %s (Permendagri 22/2020 Pasal 41); record the ones it has: "
      .. "agreement edit %s --set \"pks_clauses=objek; ruang_lingkup; …\" (or a:update{ pks_clauses = { … } })")
      :format(table.concat(missing, ", "), a.number)
  end
  return true
end

-- Signing under a surat kuasa: the kuasa is attached and dated no later than what it signs.
function R.kuasa_before(kinds)
  return function(a)
    local kuasa = a:document("surat_kuasa")
    if not kuasa then return false, "a delegated signature needs the surat kuasa: attach it first" end
    for _, kind in ipairs(kinds) do
      local signed = a:document(kind)
      if signed and signed.date and kuasa.date and kuasa.date > signed.date then
        return false, ("the surat kuasa (dated %s) is later than the %s it signs (dated %s)"):format(kuasa.date, kind, signed.date)
      end
    end
    return true
  end
end

-- A new document of one of `kinds`: attached after the last transition by one of the events in
-- `used_by` (default: the event being fired) — e.g. this semester's report, not the last one; an
-- addendum not already agreed. Times compare as the workspace's ISO 8601 timestamps.
function R.fresh_document(kinds, used_by)
  return function(a, ctx)
    local consumers = {}
    for _, event in ipairs(used_by or { ctx.event }) do consumers[event] = true end
    local last
    for _, entry in ipairs(a:history()) do
      if entry.kind ~= "refused" and consumers[entry.event] then last = entry.at end
    end
    for _, kind in ipairs(kinds) do
      local document = a:document(kind)
      if document and (not last or (document.recorded_at or "") > last) then return true end
    end
    local what = table.concat(kinds, " or ")
    if last then return false, ("attach the new %s: the latest one was already used on %s"):format(what, last:sub(1, 10)) end
    return false, ("attach the %s first"):format(what)
  end
end

-- Perpanjangan: the new term is given in the event's note, "YYYY-MM-DD" (the new end) or
-- "YYYY-MM-DD YYYY-MM-DD" (the new start and end); it must end later than the current term.
local function new_term(note)
  local found = {}
  for text in tostring(note or ""):gmatch("%d%d%d%d%-%d%d%-%d%d") do found[#found + 1] = date(text) end
  if #found == 1 then return nil, found[1] end
  if #found == 2 then return found[1], found[2] end
  return nil, nil
end

function R.extension_valid(a, ctx)
  local start, finish = new_term(ctx.note)
  if not finish then
    return false, "give the new term in --note: the new end (YYYY-MM-DD), or the new start and end"
  end
  if a.ends_on and finish <= a.ends_on then
    return false, ("the new end %s is not later than the current end %s"):format(finish, a.ends_on)
  end
  if start and start > finish then
    return false, ("the new term starts (%s) after it ends (%s)"):format(start, finish)
  end
  return true
end

-- Records the new term (the store checks the legal maximum, e.g. 5 years for a KB); the
-- kedaluwarsa timer follows ends_on.
function R.apply_extension(a, ctx)
  local start, finish = new_term(ctx.note)
  local changes = { ends_on = finish }
  if start then changes.starts_on = start end
  a:update(changes)
end

-- Pengakhiran: the ground is named in the event's note (its first word), or already recorded.
-- Which grounds end which kind is the domain's rule (EndingGround: PP 28/2018 Pasal 9(1), 22;
-- Permendagri 25/2020 Pasal 34), checked when the ground is recorded.
local function ground_of(a, ctx)
  local word = tostring(ctx.note or ""):match("^%s*([%w_]+)")
  return word or a.ending_ground
end

function R.ending_ground(a, ctx)
  local ground = ground_of(a, ctx)
  if not ground then
    return false, ("name the ground first in --note (e.g. tujuan_tercapai, kesepakatan_para_pihak, "
      .. "perubahan_kebijakan, objek_musnah; a KSDPK also putusan_pengadilan, pailit; foreign "
      .. "cooperation diganti_perjanjian_baru)")
  end
  if ground == "jangka_waktu_berakhir" then
    return false, "the end of the term is not a pengakhiran: the kedaluwarsa timer ends the agreement the day after ends_on"
  end
  return true
end

function R.record_ending(a, ctx)
  local ground = ground_of(a, ctx)
  if ground and a.ending_ground ~= ground then a:update{ ending_ground = ground } end
end

-- Kedaluwarsa: a timer due the day after ends_on, following every later change of ends_on.
function R.expiry_timer(a, ctx)
  ctx.timer{ name = "kedaluwarsa", after_field = "ends_on", fire = "kedaluwarsa" }
end

-- Records "jangka_waktu_berakhir" on an expired agreement whose kind has that ground (not foreign
-- cooperation: Permendagri 25/2020 Pasal 34 does not list it). A courtesy, never a reason for the
-- expiry to fail: if the acting session may not edit the agreement, it is only logged.
function R.record_expiry(ground)
  return function(a, ctx)
    if ground and a.status == "expired" and not a.ending_ground then
      local ok, why = pcall(a.update, a, { ending_ground = ground })
      if not ok then log.warn(("%s expired; ending_ground not recorded: %s"):format(a.number, tostring(why))) end
    end
  end
end

return R
