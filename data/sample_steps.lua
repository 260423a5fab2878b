-- The sample's workflow steps already taken (sinergi init --sample runs this once the sample set
-- has joined its tracks, as the admin). CONTOH/002/KSDD/2026's request for DPRD approval went to
-- the Pimpinan DPRD on the date of its letter (Permendagri 22/2020 Pasal 12(1) huruf a): the
-- DPRD's 45 days run from that letter, so the workflow's clock and the pengingat_dprd reminder
-- name the same day.
local air_minum = agreements.get("CONTOH/002/KSDD/2026")
air_minum:fire("permohonan_diajukan", { note = "surat permohonan persetujuan DPRD dikirim (contoh)" })
