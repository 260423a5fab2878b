import GRDB

extension SinergiDatabase {
    /// The outbox (`Outbox`): messages that `notify{…}` queued in the caller's transaction and
    /// that `sinergi notify deliver` sends. Append-only migrations, like the rest of the schema.
    static func registerOutboxMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-03 outbox") { db in
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                // The enqueue is idempotent by key: SQLite's UNIQUE lets any number of NULL keys
                // through, so a message without a key is always queued.
                t.column("key", .text).unique(onConflict: .abort)
                t.column("recipient", .text).notNull()
                    .check(sql: "recipient GLOB 'role:?*' OR recipient GLOB 'user:?*'")
                t.column("subject", .text).notNull()
                t.column("body", .text).notNull()
                t.column("agreement_id", .integer).references("agreement", onDelete: .setNull)
                t.column("created_by", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("status", .text).notNull().defaults(to: "pending")
                    .check(sql: "status IN ('pending','sent','dead')")
                t.column("attempts", .integer).notNull().defaults(to: 0).check(sql: "attempts >= 0")
                // Due, lease and sent instants are Unix milliseconds: compared across processes
                // and time zones as numbers, never as text with offsets.
                t.column("due_at", .integer).notNull().defaults(to: 0)
                t.column("lease_owner", .text)
                t.column("lease_until", .integer)
                t.column("last_error", .text)
                t.column("sent_at", .integer)
                // Who has it already (JSON list of "channel/user" targets): a retry skips them.
                t.column("delivered", .text).notNull().defaults(to: "[]")
                    .check(sql: "json_valid(delivered) AND json_type(delivered) = 'array'")
            }
            // The deliverer's query: pending messages by due time.
            try db.create(index: "outbox_by_status_due", on: "outbox", columns: ["status", "due_at"])
        }
    }
}
