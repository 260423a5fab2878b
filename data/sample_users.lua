-- Fictional staff of the sample data set (sinergi init --sample). Every role the shipped
-- workflows and reminder scripts address has someone with a contact, so every notification
-- resolves; the addresses are invented (probolinggokota.go.id is the city's real domain, these
-- mailboxes are not).
perangkat_daerah {
  { short = "DLH", name = "Dinas Lingkungan Hidup" },
  { short = "DPUPR", name = "Dinas Pekerjaan Umum dan Penataan Ruang" },
  { short = "Dishub", name = "Dinas Perhubungan" },
}
users {
  { id = "sari", name = "Sari Wulandari (Bagian Pemerintahan, contoh)", roles = { "sekretariat", "tkksd" },
    contact = { email = "sari.contoh@probolinggokota.go.id", phone = "+6281200000001" } },
  -- The staff of one Perangkat Daerah hold pd:SHORT; reminders about its agreements go to them.
  { id = "budi", name = "Budi Santoso (Dinas Lingkungan Hidup, contoh)", roles = { "pd:DLH" },
    contact = { email = "budi.contoh@probolinggokota.go.id", phone = "+6281200000002" } },
  { id = "dewi", name = "Dewi Lestari (Dinas PUPR, contoh)", roles = { "pd:DPUPR" },
    contact = { email = "dewi.contoh@probolinggokota.go.id", phone = "+6281200000003" } },
  { id = "hadi", name = "Hadi Prasetyo (Dinas Perhubungan, contoh)", roles = { "pd:Dishub" },
    contact = { email = "hadi.contoh@probolinggokota.go.id", phone = "+6281200000004" } },
  -- pd: reminders about agencies not listed in perangkat_daerah{} above.
  { id = "yuni", name = "Yuni Astuti (koordinator kerja sama Perangkat Daerah, contoh)", roles = { "pd" },
    contact = { email = "yuni.contoh@probolinggokota.go.id", phone = "+6281200000005" } },
  { id = "rina", name = "Rina Kartika (Bagian Hukum, contoh)", roles = { "hukum", "tkksd" },
    contact = { email = "rina.contoh@probolinggokota.go.id", phone = "+6281200000006" } },
  { id = "sekda", name = "Sekretaris Daerah, Ketua TKKSD (contoh)", roles = { "sekda", "tkksd" },
    contact = { email = "sekda.contoh@probolinggokota.go.id", phone = "+6281200000007" } },
  -- Who signs and who decides in the shipped workflows (workflows/*.lua): the Kepala Daerah
  -- (Permendagri 22/2020 Pasal 8, 10, 12, 14), the Pimpinan DPRD (Pasal 12(3)).
  { id = "walikota", name = "Wali Kota Probolinggo (contoh)", roles = { "kepala_daerah" },
    contact = { email = "walikota.contoh@probolinggokota.go.id", phone = "+6281200000008" } },
  { id = "ketua_dprd", name = "Ketua DPRD Kota Probolinggo (contoh)", roles = { "dprd_pimpinan" },
    contact = { email = "pimpinan.dprd.contoh@probolinggokota.go.id", phone = "+6281200000009" } },
  -- dprd_komisi: the komisi in charge of cooperation (Permendagri 22/2020 Pasal 12(2)); in
  -- Probolinggo's practice, Komisi I.
  { id = "komisi1", name = "Komisi I DPRD (contoh)", roles = { "dprd_komisi" },
    contact = { email = "komisi1.dprd.contoh@probolinggokota.go.id", phone = "+6281200000010" } },
  -- provinsi: the Gubernur's office, e.g. for the offer escalation (Permendagri 22/2020 Pasal 8(5)).
  { id = "biro_jatim", name = "Biro Administrasi Pemerintahan Provinsi Jawa Timur (contoh)", roles = { "provinsi" },
    contact = { email = "biro.pemerintahan.contoh@probolinggokota.go.id", phone = "+6281200000011" } },
}
-- The sample's notifications go to a file, one JSON object per line (sinergi notify deliver).
channels { { name = "arsip", type = "file", path = "outbox/messages.jsonl" } }
