-- Shared steps of the reminder scripts (scripts/pengingat_*.lua): reading a job's arguments,
-- choosing recipients, counting a legal period, and queueing each message exactly once.
--
-- Exactly once comes from the outbox, not from this script remembering anything: notify{} refuses
-- a key it has seen (and returns false), in the same transaction as the run. So a reminder can
-- be offered again on every run — after downtime, twice a day, by hand — and goes out once.
local M = {}

--- A list of day counts from a job argument: "90,60,30,7,0" -> { 90, 60, 30, 7, 0 }, sorted from
--- the farthest to the nearest. No argument (nil or "") gives `default`.
function M.daftar_hari(text, default, nama)
  if text == nil or text == "" then return default end
  local list = {}
  for item in tostring(text):gmatch("[^,%s]+") do
    local n = math.tointeger(tonumber(item))
    if n == nil or n < 0 then
      error(("%s: '%s' bukan jumlah hari; tulis misalnya 90,60,30,7,0"):format(nama, item), 2)
    end
    list[#list + 1] = n
  end
  if #list == 0 then error(nama .. ": daftar hari kosong; tulis misalnya 90,60,30,7,0", 2) end
  table.sort(list, function(x, y) return x > y end)
  return list
end

--- One whole number of days from a job argument ("7"); no argument gives `default`.
function M.hari(text, default, nama)
  if text == nil or text == "" then return default end
  local n = math.tointeger(tonumber(text))
  if n == nil or n < 0 then error(("%s: '%s' bukan jumlah hari (bilangan bulat, misalnya 7)"):format(nama, tostring(text)), 2) end
  return n
end

--- One of `pilihan` (a list of words) from a job argument; no argument gives the first.
function M.pilih(text, pilihan, nama)
  if text == nil or text == "" then return pilihan[1] end
  for _, word in ipairs(pilihan) do
    if text == word then return word end
  end
  error(("%s: '%s' bukan salah satu dari %s"):format(nama, tostring(text), table.concat(pilihan, ", ")), 2)
end

--- The last day of a period of `n` days (or, with `hari_kerja`, working days) counted from
--- `dari`. One rule for every period, as the workflows count them: the day after `dari` is day 1,
--- so a letter received on 1 March with 45 days has 15 April as its last day, and the period is
--- over at the start of 16 April. To count the day of receipt itself as day 1, pass `dari - 1`.
function M.hari_terakhir(dari, n, hari_kerja)
  if hari_kerja then return dari + workdays(n) end
  return dari + days(n)
end

--- The initiating Perangkat Daerah as a recipient: `role:pd:SHORT` when sinergi.lua's
--- perangkat_daerah{} lists the agreement's lead agency (its staff then hold the role pd:SHORT),
--- otherwise `role:pd` — whoever follows up cooperation for agencies not listed.
function M.pd(a)
  local agency = agreements.agency(a.lead_agency)
  if agency then return "role:pd:" .. agency.short end
  return "role:pd"
end

--- Queues one message for each recipient in `kepada`, once. `kunci` names the reminder (which
--- agreement, which document, which threshold, which date); the recipient is added to it, so the
--- same reminder to two roles is two keys, and a role that already has it is skipped.
--- `a`, when given, is the agreement the message is about (kept with it in the outbox).
--- Returns how many messages this call queued (0 when an earlier run queued them all).
function M.kirim(kepada, kunci, subjek, isi, a)
  local queued = 0
  for _, to in ipairs(kepada) do
    local key = kunci .. "@" .. to
    if notify{ to = to, subject = subjek, body = isi, key = key, agreement = a } then
      queued = queued + 1
      log.info("diantrekan: " .. key)
    end
  end
  return queued
end

--- The closing line of every message: where it comes from, so a recipient can find the script.
function M.penutup(skrip)
  return "\n\n-- \nPesan otomatis Sinergi (" .. skrip .. ")."
end

return M
