-- Written by the release at commit d945451 into release-d945451.db (see make-release-d945451.sh).
-- Absolute dates and names only: ReleaseUpgradeTests spells out the same records.
local create = agreements.create
local clauses = { "maksud_tujuan", "objek", "ruang_lingkup", "pelaksanaan", "hak_kewajiban", "pembiayaan",
                  "jangka_waktu", "penyelesaian_perselisihan", "keadaan_kahar", "pengakhiran", "sanksi" }

local sampah = create{
  number = "UJI/001/KSDD/2024", title = "Pengelolaan sampah regional — TPA “bersama”",
  kind = "ksdd", subkind = "sukarela", lead_agency = "Dinas Lingkungan Hidup",
  object = "Pengelolaan sampah", scope = "Pengangkutan dan pemrosesan akhir", value = 1250000000,
  funding = "APBD kedua daerah", parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } },
  membebani_masyarakat = true, starts_on = date("2024-03-01"), ends_on = date("2028-12-31"),
  pks_starts_on = date("2024-06-03"), pks_ends_on = date("2028-12-31"), status = "active", stage = "pelaksanaan",
  pks_clauses = clauses,
}
sampah:attach{ kind = "kesepakatan_bersama", number = "UJI/KB/001/2024", date = date("2024-03-01"),
               signatories = { "Wali Kota Probolinggo", "Bupati Probolinggo" } }
sampah:attach{ kind = "surat_permohonan_dprd", number = "UJI/DPRD/001/2024", date = date("2024-03-11") }
sampah:attach{ kind = "surat_persetujuan_dprd", number = "UJI/DPRD/002/2024", date = date("2024-04-22"),
               signatories = { "Ketua DPRD Kota Probolinggo" } }
sampah:attach{ kind = "pks", number = "UJI/PKS/001/2024", date = date("2024-06-03"), file = "arsip/pks-001.txt",
               signatories = { "Kepala Dinas Lingkungan Hidup (surat kuasa)", "Kepala Dinas Lingkungan Hidup Kabupaten" } }

create{
  number = "UJI/002/KSDD/2026", title = "Pengendalian banjir lintas batas", kind = "ksdd", subkind = "wajib",
  lead_agency = "Dinas Pekerjaan Umum dan Penataan Ruang",
  parties = { { name = "Pemerintah Provinsi Jawa Timur", kind = "provinsi" } },
}

create{
  number = "UJI/003/KSDPK/2025", title = "Perluasan sambungan air bersih", kind = "ksdpk",
  lead_agency = "Bagian Perekonomian", object = "Layanan air bersih", value = 3400000000, funding = "BUMD dan APBD",
  parties = { { name = "Perumda Air Minum Contoh Rekaan", kind = "badan_usaha", form = "bumd" } },
  belum_dianggarkan = true, starts_on = date("2025-10-01"), ends_on = date("2030-09-30"),
  status = "draft", stage = "penyusunan_pks",
}

create{
  number = "UJI/004/SINERGI/2026", title = "Sinergi integrasi terminal tipe A", kind = "sinergi",
  lead_agency = "Dinas Perhubungan", object = "Terminal penumpang tipe A", funding = "APBN dan APBD",
  parties = { { name = "Kementerian Contoh Perhubungan", kind = "kementerian" },
              { name = "Universitas Negeri Contoh", kind = "perguruan_tinggi" } },
  membebani_masyarakat = true, starts_on = date("2027-01-01"), ends_on = date("2031-12-31"),
  stage = "persetujuan_dprd",
}

create{
  number = "UJI/005/KSDPK/2023", title = "Gerai bersama produk UMKM", kind = "ksdpk",
  lead_agency = "Dinas Koperasi dan Usaha Mikro",
  parties = { { name = "Koperasi Contoh Sejahtera", kind = "badan_usaha", form = "koperasi" } },
  starts_on = date("2023-02-01"), ends_on = date("2027-12-31"), status = "terminated", stage = "pelaksanaan",
  ending_ground = "pailit",
}

create{
  number = "UJI/006/KSDPL/2026", title = "Kota kembar (rekaan)", kind = "ksdpl", lead_agency = "Bagian Pemerintahan",
  parties = { { name = "Kota Rekaan di Luar Negeri", kind = "luar_negeri" } }, stage = "penjajakan",
}

return agreements.count{}
