import GRDB

extension SinergiDatabase {
    /// How often a workflow timer has been taken up by a tick that did not end (see
    /// `WorkflowStore.markAttempts`): the worker that fires timers can end inside one C call a
    /// transition got stuck in, and without a mark the same timer would end every pass after it.
    static func registerTimerAttemptMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-04 workflow timer attempts") { db in
            try db.alter(table: "workflow_timer") { t in
                t.add(column: "attempts", .integer).notNull().defaults(to: 0)
            }
        }
    }
}
