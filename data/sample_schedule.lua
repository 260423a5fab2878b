schedule { name = "pengingat_berakhir", cron = "0 8 * * *", run = "scripts/pengingat_berakhir.lua",
           args = { "90,60,30,7,0" }, misfire = "once", overlap = "skip", timeout = "1m" }
schedule { name = "pengingat_penawaran", cron = "0 8 * * *", run = "scripts/pengingat_penawaran.lua",
           args = { "7" }, misfire = "once", overlap = "skip", timeout = "1m" }
schedule { name = "pengingat_dprd", cron = "0 8 * * *", run = "scripts/pengingat_dprd.lua",
           args = { "7" }, misfire = "once", overlap = "skip", timeout = "1m" }
schedule { name = "pengingat_laporan", cron = "0 8 1 1,7 *", run = "scripts/pengingat_laporan.lua",
           misfire = "once", overlap = "skip", timeout = "1m" }
