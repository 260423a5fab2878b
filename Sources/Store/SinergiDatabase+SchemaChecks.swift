import GRDB

extension SinergiDatabase {
    /// The value checks that list three or more values (`status IN ('pending','sent','dead')`),
    /// spelt out as `status = 'pending' OR …`. SQLite tests an IN list of three or more constants
    /// against a temporary b-tree it builds afresh for every row it checks — six a workflow
    /// transition, ≈ 6 % of its instructions — and compares a list of two or a chain of `=`
    /// directly. A check cannot be altered in place, so each table is rebuilt as SQLite documents
    /// ("Making Other Kinds Of Table Schema Changes", lang_altertable.html): a copy under the new
    /// definition, its rows, the old table dropped, the copy renamed, its indexes and its
    /// AUTOINCREMENT counter restored. (GRDB runs the migration with foreign keys off, so the drop
    /// touches no other table; they are checked before it commits.)
    static func registerValueCheckMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("2026-12-05 value checks without IN lists") { db in
            guard try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == false else {
                throw StoreError.misuse("rebuilding a table needs foreign keys off: dropping it would cascade")
            }
            let tables = Dictionary(grouping: listedValueChecks, by: \.table)
            for table in tables.keys.sorted() {
                try rebuild(table, replacing: tables[table, default: []].map { ($0.listed, $0.spelt) }, in: db)
            }
        }
    }

    /// Every check an earlier migration wrote with an IN list of three or more values, as it wrote it.
    static let listedValueChecks: [ValueCheck] = [
        ValueCheck(table: "agreement", column: "kind", values: ["ksdd", "ksdpk", "sinergi", "ksdpl", "ksdll"]),
        ValueCheck(table: "agreement", column: "status", values: ["draft", "active", "expired", "terminated"]),
        ValueCheck(table: "workflow_history", column: "kind",
                   values: ["start", "adopt", "transition", "refused", "dropped", "failed", "migrate"]),
        ValueCheck(table: "outbox", column: "status", values: ["pending", "sent", "dead"]),
        ValueCheck(table: "scheduled_fire", column: "state", values: ["pending", "claimed", "done", "failed", "skipped"]),
    ]

    struct ValueCheck {
        var table: String
        var column: String
        var values: [String]

        /// `column IN ('a','b','c')`, as the earlier migrations wrote it.
        var listed: String { "\(column) IN (" + values.map { "'\($0)'" }.joined(separator: ",") + ")" }
        /// `column = 'a' OR column = 'b' OR column = 'c'`.
        var spelt: String { values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") }
    }

    /// Rebuilds `table` with each `(old, new)` piece of its definition replaced.
    private static func rebuild(_ table: String, replacing pieces: [(old: String, new: String)], in db: Database) throws {
        let header = "CREATE TABLE \"\(table)\" ("
        guard var definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                   arguments: [table]), definition.hasPrefix(header) else {
            throw StoreError.corrupt("table \(table) is missing or not defined as Sinergi defined it")
        }
        for piece in pieces {
            guard let range = definition.range(of: piece.old) else {
                throw StoreError.corrupt("table \(table) has no check \(piece.old), which an earlier migration wrote")
            }
            definition.replaceSubrange(range, with: piece.new)
        }
        let copy = table + "_rebuilt"
        let indexes = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                                          arguments: [table])
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])
        try db.execute(sql: "CREATE TABLE \"\(copy)\" (" + definition.dropFirst(header.count))
        try db.execute(sql: "INSERT INTO \"\(copy)\" SELECT * FROM \"\(table)\"")
        try db.execute(sql: "DROP TABLE \"\(table)\"")
        try db.execute(sql: "ALTER TABLE \"\(copy)\" RENAME TO \"\(table)\"")
        for index in indexes { try db.execute(sql: index) }
        // The copy's counter is its highest id; the table's may be higher (its last rows deleted),
        // and an id once given is never given again.
        if let counter {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
            let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM \"\(table)\"") ?? 0
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, max(counter, highest)])
        }
    }
}
