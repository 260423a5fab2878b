-- A clearly fictional data set for a Pemerintah Kota Probolinggo workspace: every number starts
-- with CONTOH and every partner but the real regions is invented (and says so: Contoh, Rekaan).
-- Dates are set relative to today so that the shipped reminder scripts have work on the first
-- day: agreements within 90, 60 and 30 days of their end (scripts/pengingat_berakhir.lua) and a
-- DPRD request close to its deemed approval (pengingat_dprd.lua). A document's number carries the
-- year of its date. Run by `sinergi init --sample`.
local t = today()

local create = agreements.create

-- A document number in the register style, with the year of the document's date.
local function nomor(series, sequence, date)
  return ("CONTOH/%s/%03d/%d"):format(series, sequence, date.year)
end

local sampah = create{
  number = "CONTOH/001/KSDD/2025", title = "Pengelolaan sampah regional di TPA bersama",
  kind = "ksdd", subkind = "sukarela", lead_agency = "Dinas Lingkungan Hidup",
  object = "Pengelolaan sampah", scope = "Pengangkutan dan pemrosesan akhir sampah",
  value = 1250000000, funding = "APBD kedua daerah",
  parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
  membebani_masyarakat = true, starts_on = t - 1500, ends_on = t + 45,
  pks_starts_on = t - 1400, pks_ends_on = t + 45,
  status = "active", stage = "pelaksanaan",
  pks_clauses = { "maksud_tujuan", "objek", "ruang_lingkup", "pelaksanaan", "hak_kewajiban", "pembiayaan",
                  "jangka_waktu", "penyelesaian_perselisihan", "keadaan_kahar", "pengakhiran", "sanksi" },
}
sampah:attach{ kind = "kesepakatan_bersama", number = nomor("KB", 1, t - 1500), date = t - 1500,
               signatories = { "Wali Kota Probolinggo", "Bupati Probolinggo" } }
-- It burdens the public, so DPRD approved it between the KB and the PKS, on the request with the
-- signed KB and the draft PKS and the komisi's review (PP 28/2018 Pasal 6(2); Permendagri 22/2020
-- Pasal 12).
sampah:attach{ kind = "surat_permohonan_dprd", number = nomor("DPRD", 1, t - 1490), date = t - 1490,
               signatories = { "Wali Kota Probolinggo" } }
sampah:attach{ kind = "hasil_kajian_komisi", number = nomor("DPRD", 2, t - 1475), date = t - 1475,
               signatories = { "Ketua Komisi I DPRD Kota Probolinggo" } }
sampah:attach{ kind = "surat_persetujuan_dprd", number = nomor("DPRD", 3, t - 1450), date = t - 1450,
               signatories = { "Ketua DPRD Kota Probolinggo" } }
sampah:attach{ kind = "pks", number = nomor("PKS", 1, t - 1400), date = t - 1400,
               signatories = { "Kepala Dinas Lingkungan Hidup (surat kuasa)" } }

-- A kerja sama wajib is with a bordering region or the city's own province (PP 28/2018 Pasal 3(2);
-- Permendagri 22/2020 Pasal 3(2)): Kota Probolinggo borders only Kabupaten Probolinggo on land.
local air_minum = create{
  number = "CONTOH/002/KSDD/2026", title = "Penyediaan air minum lintas daerah",
  kind = "ksdd", subkind = "wajib", lead_agency = "Dinas Pekerjaan Umum dan Penataan Ruang",
  object = "Air minum", scope = "Jaringan transmisi air baku",
  parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
  membebani_masyarakat = true, belum_dianggarkan = true,
  starts_on = t - 30, ends_on = t + 1700, status = "draft", stage = "persetujuan_dprd",
}
air_minum:attach{ kind = "kesepakatan_bersama", number = nomor("KB", 2, t - 45), date = t - 45,
                  signatories = { "Wali Kota Probolinggo", "Bupati Probolinggo" } }
-- The DPRD received the request 40 days ago and has not answered: day 45 is in five days, after
-- which the request is deemed approved (Permendagri 22/2020 Pasal 12(4)) — scripts/pengingat_dprd.lua
-- warns the sekretariat.
air_minum:attach{ kind = "surat_permohonan_dprd", number = nomor("DPRD", 6, t - 40), date = t - 40,
                  signatories = { "Wali Kota Probolinggo" } }

create{
  number = "CONTOH/003/KSDPK/2024", title = "Penelitian, KKN tematik dan magang mahasiswa",
  kind = "ksdpk", lead_agency = "Badan Perencanaan Pembangunan Daerah",
  object = "Pengembangan sumber daya manusia", scope = "Penelitian terapan, KKN, magang",
  funding = "Masing-masing pihak",
  parties = { { name = "Universitas Contoh Nusantara", kind = "perguruan_tinggi" } },
  starts_on = t - 700, ends_on = t + 200, pks_starts_on = t - 650, pks_ends_on = t + 200,
  status = "active", stage = "pelaksanaan",
}

local air = create{
  number = "CONTOH/004/KSDPK/2025", title = "Optimalisasi layanan air bersih kawasan timur",
  kind = "ksdpk", lead_agency = "Bagian Perekonomian",
  object = "Layanan air bersih", scope = "Perluasan sambungan rumah", value = 3400000000,
  funding = "BUMD dan APBD", belum_dianggarkan = true,
  parties = { { name = "Perumda Air Minum Contoh Rekaan", kind = "badan_usaha", form = "bumd" } },
  starts_on = t - 400, ends_on = t + 1200, pks_starts_on = t - 300, pks_ends_on = t + 1200,
  status = "active", stage = "pelaksanaan",
}
air:attach{ kind = "kesepakatan_bersama", number = nomor("KB", 4, t - 400), date = t - 400,
            signatories = { "Wali Kota Probolinggo", "Direktur Utama Perumda Air Minum Contoh Rekaan" } }
-- Not yet budgeted, so DPRD approved it in sidang paripurna, on the request with the signed KB,
-- the draft PKS and the company profile (PP 28/2018 Pasal 6(2); Permendagri 22/2020 Pasal 34).
air:attach{ kind = "surat_permohonan_dprd", number = nomor("DPRD", 4, t - 390), date = t - 390,
            signatories = { "Wali Kota Probolinggo" } }
air:attach{ kind = "surat_persetujuan_dprd", number = nomor("DPRD", 5, t - 350), date = t - 350,
            signatories = { "Ketua DPRD Kota Probolinggo" } }
air:attach{ kind = "pks", number = nomor("PKS", 4, t - 300), date = t - 300,
            signatories = { "Kepala Bagian Perekonomian (surat kuasa)", "Direktur Utama Perumda Air Minum Contoh Rekaan" } }

-- A Sinergi joins a central programme with the city's own: a type A terminal is the central
-- government's, angkutan perkotaan the city's (a type B terminal would be the province's, type C
-- the city's; UU 23/2014 Lampiran, urusan perhubungan, sub-urusan LLAJ).
create{
  number = "CONTOH/005/SINERGI/2026", title = "Sinergi penataan terminal dan angkutan perkotaan",
  kind = "sinergi", lead_agency = "Dinas Perhubungan",
  object = "Terminal penumpang tipe A", scope = "Integrasi terminal tipe A dengan angkutan perkotaan",
  funding = "APBN dan APBD",
  parties = { { name = "Kementerian Contoh Perhubungan", kind = "kementerian" } },
  membebani_masyarakat = true, starts_on = t + 60, ends_on = t + 1500,
  status = "draft", stage = "persetujuan_dprd",
}

create{
  number = "CONTOH/006/KSDPK/2026", title = "Parkir elektronik di kawasan pusat kota",
  kind = "ksdpk", lead_agency = "Dinas Perhubungan",
  object = "Retribusi parkir", scope = "Mesin parkir dan pembayaran nontunai",
  parties = { { name = "PT Contoh Parkir Digital", kind = "badan_usaha", form = "swasta" } },
  membebani_masyarakat = true, status = "draft", stage = "penawaran",
}

create{
  number = "CONTOH/007/KSDD/2020", title = "Promosi wisata bersama Bromo-Tengger",
  kind = "ksdd", subkind = "sukarela", lead_agency = "Dinas Kepemudaan, Olahraga dan Pariwisata",
  object = "Promosi pariwisata", scope = "Kalender acara bersama",
  parties = { { name = "Pemerintah Kota Pasuruan", kind = "kota" } },
  starts_on = t - 1900, ends_on = t - 100, status = "expired", stage = "pelaporan",
  ending_ground = "jangka_waktu_berakhir",
}

create{
  number = "CONTOH/008/KSDPK/2023", title = "Kemitraan pemasaran produk UMKM",
  kind = "ksdpk", lead_agency = "Dinas Koperasi dan Usaha Mikro",
  object = "Pemasaran UMKM", scope = "Gerai bersama",
  parties = { { name = "Koperasi Contoh Sejahtera", kind = "badan_usaha", form = "koperasi" } },
  starts_on = t - 900, ends_on = t + 800, status = "terminated", stage = "pelaksanaan",
  ending_ground = "pailit",
}

create{
  number = "CONTOH/009/KSDD/2026", title = "Pengendalian banjir daerah aliran sungai",
  kind = "ksdd", subkind = "wajib", lead_agency = "Dinas Pekerjaan Umum dan Penataan Ruang",
  object = "Pengendalian banjir", scope = "Normalisasi sungai lintas batas",
  parties = { { name = "Pemerintah Provinsi Jawa Timur", kind = "provinsi" } },
  status = "draft", stage = "persiapan",
}

create{
  number = "CONTOH/010/SINERGI/2024", title = "Sinergi data statistik sektoral",
  kind = "sinergi", lead_agency = "Dinas Komunikasi dan Informatika",
  object = "Statistik sektoral", scope = "Satu data daerah",
  parties = { { name = "Badan Contoh Statistik", kind = "lembaga" } },
  starts_on = t - 800, ends_on = t + 20, status = "active", stage = "pelaksanaan",
}

create{
  number = "CONTOH/011/KSDPK/2025", title = "Pendampingan bank sampah kelurahan",
  kind = "ksdpk", lead_agency = "Dinas Lingkungan Hidup",
  object = "Bank sampah", scope = "Pelatihan dan pendampingan",
  parties = { { name = "Perkumpulan Contoh Hijau Lestari", kind = "ormas" } },
  starts_on = t - 500, ends_on = t + 600, pks_starts_on = t - 450, pks_ends_on = t + 600,
  status = "active", stage = "pelaporan",
}

create{
  number = "CONTOH/012/KSDPK/2024", title = "Klinik hukum dan bantuan hukum masyarakat",
  kind = "ksdpk", lead_agency = "Bagian Hukum",
  object = "Bantuan hukum", scope = "Konsultasi dan penyuluhan hukum",
  parties = { { name = "Sekolah Tinggi Hukum Contoh", kind = "perguruan_tinggi" } },
  starts_on = t - 1000, ends_on = t + 80, pks_starts_on = t - 950, pks_ends_on = t + 80,
  status = "active", stage = "pelaksanaan",
}

return agreements.count{}
