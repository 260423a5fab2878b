import GRDB

extension SinergiDatabase {
    /// The workflow engine's tables (issue #10): every version's sources, one instance per
    /// agreement, human tasks, timers and the history of transitions.
    static func registerWorkflowMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-03 workflows") { db in
            // A definition's version is the SHA-256 of its source and the lib files it requires;
            // the sources are kept so an instance runs on its version after the file changes.
            try db.create(table: "workflow_version") { t in
                t.column("version", .text).primaryKey()
                t.column("name", .text).notNull()
                t.column("recorded_at", .text).notNull()
            }
            try db.create(index: "workflow_version_by_name", on: "workflow_version", columns: ["name", "recorded_at"])
            try db.create(table: "workflow_source") { t in
                t.column("version", .text).notNull().references("workflow_version")
                t.column("module", .text).notNull()   // "" for the definition itself
                t.column("source", .blob).notNull()
                t.primaryKey(["version", "module"])
            }
            try db.create(table: "workflow_instance") { t in
                t.column("agreement_id", .integer).primaryKey().references("agreement")
                t.column("workflow", .text).notNull()
                t.column("version", .text).notNull().references("workflow_version")
                t.column("state", .text).notNull()
                t.column("since", .text).notNull()
                t.column("started_at", .text).notNull()
                t.column("revision", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "workflow_instance_by_version", on: "workflow_instance", columns: ["workflow", "version"])
            try db.create(table: "workflow_task") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agreement_id", .integer).notNull().references("agreement")
                t.column("state", .text).notNull()
                t.column("role", .text).notNull()
                t.column("events", .text).notNull()          // JSON list of event names
                t.column("opened_at", .text).notNull()
                t.column("closed_at", .text)
                t.column("closed_by", .text)
                t.column("closing_event", .text)
            }
            try db.create(index: "workflow_task_open", on: "workflow_task", columns: ["closed_at", "role"])
            try db.create(index: "workflow_task_by_agreement", on: "workflow_task", columns: ["agreement_id"])
            try db.create(table: "workflow_timer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agreement_id", .integer).notNull().references("agreement")
                t.column("name", .text).notNull()
                t.column("event", .text).notNull()
                // Either a fixed instant, or the day after an agreement date field (follows its edits).
                t.column("due_at", .text)
                t.column("after_field", .text).check(sql: "after_field IS NULL OR after_field IN ('ends_on', 'pks_ends_on')")
                t.column("state", .text)                      // a deadline's state (cancelled when left)
                t.column("set_at", .text).notNull()
                t.uniqueKey(["agreement_id", "name"])
                t.check(sql: "(due_at IS NULL) <> (after_field IS NULL)")
            }
            try db.create(index: "workflow_timer_by_due", on: "workflow_timer", columns: ["due_at"])
            try db.create(table: "workflow_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agreement_id", .integer).notNull().references("agreement")
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                    .check(sql: "kind IN ('start','adopt','transition','refused','dropped','failed','migrate')")
                t.column("event", .text)
                t.column("from_state", .text)
                t.column("to_state", .text)
                t.column("outcome", .text)
                t.column("note", .text)
                t.column("version", .text).notNull()
            }
            try db.create(index: "workflow_history_by_agreement", on: "workflow_history", columns: ["agreement_id", "id"])
        }
    }
}
