import GRDB

extension SinergiDatabase {
    /// The scheduler's tables (issue #11 §2): the jobs it has seen and every fire it recorded.
    ///
    /// Instants are integer milliseconds since 1970 (UTC): they compare and sort as numbers, and
    /// the claim compares them with `now` without parsing text.
    static func registerSchedulerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-03 scheduled fires") { db in
            // One row per job of sinergi.lua the scheduler has seen: its cron as last seen, and
            // `since`, the instant after which its fires count (first sight, or a change of cron),
            // so a new or changed job never "catches up" on instants from before it existed.
            try db.create(table: "scheduled_job") { t in
                t.column("name", .text).primaryKey()
                t.column("cron", .text).notNull()
                t.column("since", .integer).notNull()
            }
            // One row per fire: the key is (job, scheduled_at), so recording a fire twice — two
            // schedulers, a restart — keeps one. `pending` → `claimed` (with a lease) → `done` |
            // `failed`; `skipped` records a fire the misfire or overlap policy (or a removed job)
            // left out.
            try db.create(table: "scheduled_fire") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job", .text).notNull()
                t.column("scheduled_at", .integer).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN ('pending','claimed','done','failed','skipped')")
                t.column("lease_owner", .text)
                t.column("lease_token", .text)
                t.column("lease_expires_at", .integer)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("started_at", .integer)
                t.column("finished_at", .integer)
                t.column("outcome", .text)
                t.column("message", .text)
                t.uniqueKey(["job", "scheduled_at"])
                t.check(sql: "state <> 'claimed' OR (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)")
            }
            // The claim reads pending fires in time order and claimed ones by lease expiry; the
            // per-job probes (an earlier fire waiting, a fire running) read (job, state, …).
            try db.create(index: "scheduled_fire_by_state_at", on: "scheduled_fire", columns: ["state", "scheduled_at"])
            try db.create(index: "scheduled_fire_by_state_lease", on: "scheduled_fire", columns: ["state", "lease_expires_at"])
            try db.create(index: "scheduled_fire_by_job_state", on: "scheduled_fire", columns: ["job", "state", "scheduled_at"])
        }
    }
}
