import GRDB

extension SinergiDatabase {
    /// The index of open tasks holds open tasks only (a partial index on `role`): on (closed_at,
    /// role) it also kept every closed task, so closing one — every workflow transition closes
    /// its state's tasks — moved its entry within the index rather than removing it. Task lists
    /// ask for `closed_at IS NULL`, which the partial index answers.
    static func registerOpenTaskIndexMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-06 open tasks index") { db in
            try db.execute(sql: "DROP INDEX workflow_task_open")
            try db.execute(sql: "CREATE INDEX workflow_task_open ON workflow_task(role) WHERE closed_at IS NULL")
        }
    }
}
