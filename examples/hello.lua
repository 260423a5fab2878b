-- A first Sinergi script: arguments, tables, string functions and dates in the sandbox.
-- Run it with: sinergi run examples/hello.lua Probolinggo
local city = ... or "Probolinggo"
print(("Selamat datang, Pemerintah Kota %s!"):format(city))

local stages = { "persiapan", "penawaran", "penyusunan_kb", "penandatanganan_kb",
                 "persetujuan_dprd", "penyusunan_pks", "penandatanganan_pks", "pelaksanaan" }
for i, stage in ipairs(stages) do
  print(("%2d. %s"):format(i, stage:gsub("_", " ")))
end

-- The sandbox withholds what a script should not touch, with a clear error:
local ok, err = pcall(function() return os.execute("id") end)
print("os.execute allowed?", ok, tostring(err))
return #stages
