-- Sinergi workspace configuration. This file is Lua, run in the same sandbox as scripts;
-- changes take effect on the next command.

-- Dates (today(), deadlines, hari kerja) are counted in this time zone.
timezone = "Asia/Jakarta"

-- Who acts in this workspace. `login` maps an OS login to a user when --as is not given; only
-- an admin may act as someone else. Built-in roles: admin, pd (or pd:NAME for one Perangkat
-- Daerah; NAME may be a short name from perangkat_daerah below), tkksd, sekretariat, hukum, sekda,
-- kepala_daerah, dprd_pimpinan, dprd_komisi (the DPRD komisi in charge of cooperation,
-- Permendagri 22/2020 Pasal 12(2); Komisi I in Probolinggo's practice), provinsi. Any other role
-- must be declared with roles{} (e.g. roles { "bappeda" }); a user with an undeclared
-- role, or an id used twice, stops the file loading. users{} may be called several times; entries
-- accumulate. `sinergi user list` shows the result.
users {
  { id = "{{ADMIN}}", name = "Administrator", login = "{{LOGIN}}", roles = { "admin" } },
}
{{SAMPLE_USERS}}
-- The Perangkat Daerah by short name: "DLH" then works wherever a lead agency does
-- (--lead-agency DLH, --set lead_agency=DLH, agreements.find{ lead_agency = "DLH" }, pd:DLH).
-- perangkat_daerah {
--   { short = "DLH", name = "Dinas Lingkungan Hidup" },
--   { short = "Bappeda", name = "Badan Perencanaan Pembangunan Daerah" },
-- }

-- National holidays and cuti bersama change every year: list them for workdays() and the
-- workflows' hari kerja to skip (`sinergi workflow check` warns of a working-day deadline that can
-- reach a year with none listed, or fewer than 12 days: a year's national holidays alone are 17).
-- Add each year's dates when the SKB is published.
holidays {
  -- 2026: SKB Menteri Agama, Menteri Ketenagakerjaan and Menteri PANRB Nomor 1497 Tahun 2025,
  -- Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (19 September 2025): 17 hari libur nasional ...
  "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-21", "2026-03-22",
  "2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-27", "2026-05-31",
  "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-25",
  -- ... and 8 hari cuti bersama.
  "2026-02-16", "2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24", "2026-05-15",
  "2026-05-28", "2026-12-24",
  -- 2027: the SKB for 2027 was not found. Listed only the holidays whose date is fixed (Tahun
  -- Baru, Hari Buruh, Hari Lahir Pancasila, Proklamasi, Natal) or follows from Easter (Wafat and
  -- Kebangkitan Yesus Kristus, Kenaikan Yesus Kristus), all national holidays under Keppres 8/2024;
  -- the lunar and Saka holidays (Isra Mikraj, Imlek, Nyepi, Idulfitri, Waisak, Iduladha,
  -- 1 Muharam, Maulid) and the cuti bersama follow when the SKB is published.
  "2027-01-01", "2027-03-26", "2027-03-28", "2027-05-01", "2027-05-06", "2027-06-01",
  "2027-08-17", "2027-12-25",
}

-- Budget of every script run (sinergi run --timeout/--memory override it).
limits = { timeout = "5s", memory = "64MB" }

-- Scheduled jobs, run by `sinergi scheduler run` (or one pass: `sinergi scheduler tick`). cron is
-- the 5-field form (minute hour day month weekday) in the time zone above; each run of a script
-- is one transaction. The shipped reminder scripts (scripts/pengingat_*.lua) queue their messages
-- with notify{}, each once (by key), so a repeated or late run never sends a reminder twice; args
-- are the script's arguments (its header explains them); misfire = "once": after downtime, one
-- catch-up run. The daily reminders run at 08:00, when the office opens (a job new to the
-- scheduler starts with its next 08:00); the semester reports' on 1 January and 1 July
-- (Permendagri 22/2020 Pasal 17, 39). A workspace made with --sample has them on; elsewhere,
-- remove the leading "-- " to schedule them.
{{SCHEDULE}}

-- Where the law is silent (domain.md marks these UNCONFIRMED), the workspace decides; these are
-- the defaults.
rules = {
  -- pks_max_years = 5,          -- no national maximum for a PKS; Yogyakarta's practice is 5
  pks_within_kb = false,         -- require the PKS to end by the KB's end (practice, not law)
  university_as_sinergi = true,  -- Satker/BLU universities as Sinergi partners (Yogyakarta's practice)
}
-- Law, not a choice: a Kesepakatan Bersama runs at most 5 years (Permendagri 22/2020 Pasal 9(3),
-- 32(3)), as does a foreign agreement (Permendagri 25/2020 Pasal 32). A workspace may be stricter,
-- never looser; a value above 5 is refused:
-- rules.kb_max_years = 3

-- Rehearsals and tests only: allows --now / SINERGI_NOW to set the clock. Never on real data.
-- testing = { clock_override = true }

-- Notifications: where `sinergi notify deliver` sends what scripts and workflows queue with
-- notify{ to = "role:NAME" | "user:ID", subject =, body =, key = }. Without channels{} every
-- message is printed on the console. Each channel has a name and a type:
--   console  prints each message (for trying things out)
--   file     appends one JSON object per line to `path`, a file inside this workspace
--   webhook  POSTs the JSON object to `url` (http/https) with an Idempotency-Key header;
--            `headers` adds fixed headers; only a 2xx answer counts as delivered
--   command  runs `command` (a list: the program and its arguments; no shell) and writes the
--            message to its standard input: a mail (To:, Subject:) when the channel has a
--            contact, else the JSON object (`format = "mail"` or `"json"` to choose)
-- `contact` names the key of users{ … contact = { email = "…", phone = "…" } } that is the
-- address on that channel; users without it are not sent that way. `timeout` bounds one send
-- (default 10s). Delivery is at least once: a receiver must drop a repeated Idempotency-Key.
-- channels {
--   { name = "arsip", type = "file", path = "outbox/messages.jsonl" },
--   { name = "wa", type = "webhook", url = "http://127.0.0.1:9000/kirim", contact = "phone", timeout = "5s",
--     headers = { Authorization = "Bearer GANTI-INI" } },
--   { name = "surel", type = "command", command = { "/usr/sbin/sendmail", "-t", "-i" }, contact = "email" },
-- }
-- Retries: the wait doubles from retry_after up to max_retry_after (with jitter); after
-- max_attempts a message is dead until `sinergi notify retry`. `lease` is how long one deliverer
-- holds a message: keep it longer than its sends can take. These are the defaults:
-- notifications = { max_attempts = 8, retry_after = "1m", max_retry_after = "6h", lease = "5m" }
