-- Fictional staff of the sample data set (sinergi init --sample).
users {
  { id = "sari", name = "Sari Wulandari (Bagian Pemerintahan, contoh)", roles = { "sekretariat", "tkksd" },
    contact = { email = "sari@contoh.invalid" } },
  { id = "budi", name = "Budi Santoso (Dinas Lingkungan Hidup, contoh)", roles = { "pd:Dinas Lingkungan Hidup" } },
  { id = "rina", name = "Rina Kartika (Bagian Hukum, contoh)", roles = { "hukum", "tkksd" } },
  -- dprd_komisi: the komisi in charge of cooperation (Permendagri 22/2020 Pasal 12(2)); in
  -- Probolinggo's practice, Komisi I.
  { id = "komisi1", name = "Komisi I DPRD (contoh)", roles = { "dprd_komisi" } },
}
-- The sample's notifications go to a file, one JSON object per line (sinergi notify deliver).
channels { { name = "arsip", type = "file", path = "outbox/messages.jsonl" } }
