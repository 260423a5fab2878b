-- Fictional staff of the sample data set (sinergi init --sample).
users {
  { id = "sari", name = "Sari Wulandari (Bagian Pemerintahan, contoh)", roles = { "sekretariat", "tkksd" },
    contact = { email = "sari@contoh.invalid" } },
  { id = "budi", name = "Budi Santoso (Dinas Lingkungan Hidup, contoh)", roles = { "pd:Dinas Lingkungan Hidup" } },
  { id = "rina", name = "Rina Kartika (Bagian Hukum, contoh)", roles = { "hukum", "tkksd" } },
  -- dprd_komisi: the komisi in charge of cooperation (Permendagri 22/2020 Pasal 12(2)); in
  -- Probolinggo's practice, Komisi I.
  { id = "komisi1", name = "Komisi I DPRD (contoh)", roles = { "dprd_komisi" } },
  -- Who signs and who decides in the shipped workflows (workflows/*.lua): the Kepala Daerah
  -- (Permendagri 22/2020 Pasal 8, 10, 12, 14), the Pimpinan DPRD (Pasal 12(3)), the Gubernur's
  -- office for the offer escalation (Pasal 8(5)), and the PD of the sample agreements on water
  -- and floods.
  { id = "walikota", name = "Wali Kota Probolinggo (contoh)", roles = { "kepala_daerah" } },
  { id = "ketua_dprd", name = "Ketua DPRD Kota Probolinggo (contoh)", roles = { "dprd_pimpinan" } },
  { id = "biro_jatim", name = "Biro Administrasi Pemerintahan Provinsi Jawa Timur (contoh)", roles = { "provinsi" } },
  { id = "dewi", name = "Dewi Lestari (Dinas Pekerjaan Umum dan Penataan Ruang, contoh)",
    roles = { "pd:Dinas Pekerjaan Umum dan Penataan Ruang" } },
}
