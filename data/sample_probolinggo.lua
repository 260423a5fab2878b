-- A clearly fictional data set for a Pemerintah Kota Probolinggo workspace: every number starts
-- with CONTOH and every partner but the real neighbouring regions is invented. Dates are set
-- relative to today so that some agreements are about to expire. Run by `sinergi init --sample`.
local t = today()

local create = agreements.create

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
sampah:attach{ kind = "kesepakatan_bersama", number = "CONTOH/KB/001/2021", date = t - 1500,
               signatories = { "Wali Kota Probolinggo", "Bupati Probolinggo" } }
sampah:attach{ kind = "pks", number = "CONTOH/PKS/001/2021", date = t - 1400,
               signatories = { "Kepala Dinas Lingkungan Hidup (surat kuasa)" } }

create{
  number = "CONTOH/002/KSDD/2026", title = "Penyediaan air minum lintas daerah",
  kind = "ksdd", subkind = "wajib", lead_agency = "Dinas Pekerjaan Umum dan Penataan Ruang",
  object = "Air minum", scope = "Jaringan transmisi air baku",
  parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" },
              { name = "Pemerintah Kabupaten Pasuruan", kind = "kabupaten" } },
  membebani_masyarakat = true, belum_dianggarkan = true,
  starts_on = t - 30, ends_on = t + 1700, status = "draft", stage = "persetujuan_dprd",
}

create{
  number = "CONTOH/003/KSDPK/2024", title = "Penelitian, KKN tematik dan magang mahasiswa",
  kind = "ksdpk", lead_agency = "Badan Perencanaan Pembangunan Daerah",
  object = "Pengembangan sumber daya manusia", scope = "Penelitian terapan, KKN, magang",
  funding = "Masing-masing pihak",
  parties = { { name = "Universitas Contoh Nusantara", kind = "perguruan_tinggi" } },
  starts_on = t - 700, ends_on = t + 200, pks_starts_on = t - 650, pks_ends_on = t + 200,
  status = "active", stage = "pelaksanaan",
}

create{
  number = "CONTOH/004/KSDPK/2025", title = "Optimalisasi layanan air bersih kawasan timur",
  kind = "ksdpk", lead_agency = "Bagian Perekonomian",
  object = "Layanan air bersih", scope = "Perluasan sambungan rumah", value = 3400000000,
  funding = "BUMD dan APBD", belum_dianggarkan = true,
  parties = { { name = "PT Air Minum Contoh Bayuangga", kind = "badan_usaha", form = "bumd" } },
  starts_on = t - 400, ends_on = t + 1200, pks_starts_on = t - 300, pks_ends_on = t + 1200,
  status = "active", stage = "pelaksanaan",
}

create{
  number = "CONTOH/005/SINERGI/2026", title = "Sinergi penataan terminal dan angkutan perkotaan",
  kind = "sinergi", lead_agency = "Dinas Perhubungan",
  object = "Terminal tipe B", scope = "Penataan dan pengelolaan terminal", funding = "APBN dan APBD",
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
