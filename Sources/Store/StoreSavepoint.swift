import GRDB
import GRDBSQLite

/// A part of a transaction kept whole or not at all — a group's unit, or a unit's `atomically`
/// part — through SAVEPOINT statements the connection prepares once and keeps.
///
/// GRDB's `inSavepoint` prepares its SAVEPOINT and RELEASE afresh every time: two parses per
/// savepoint, two savepoints per workflow transition. These are stepped by SQLite's own
/// functions (`StatementWrite`) too: GRDB's bookkeeping of each statement, for transaction
/// observers the store does not register, was 2 % of a timer's transition.
///
/// And where GRDB, finding no transaction, would open one, this refuses: a savepoint is only ever part of a transaction, and when SQLite
/// has rolled that transaction back (a full disk, an `INSERT OR ROLLBACK`), what follows must
/// fail rather than run — and commit — on its own.
enum StoreSavepoint {
    private static let begin = StoreSQL("SAVEPOINT unit")
    private static let undo = StoreSQL("ROLLBACK TRANSACTION TO SAVEPOINT unit")
    private static let release = StoreSQL("RELEASE SAVEPOINT unit")

    static func run<T>(_ db: Database, _ prepared: PreparedStatements, _ body: () throws -> T) throws -> T {
        try requireTransaction(db)
        try StatementWrite.run(prepared.statement(begin, in: db))
        let value: T
        do {
            value = try body()
        } catch {
            if isInsideTransaction(db) {
                do {
                    try StatementWrite.run(prepared.statement(undo, in: db))
                    try StatementWrite.run(prepared.statement(release, in: db))
                } catch {
                    // The part could not be undone alone: undo the whole transaction rather than
                    // let RELEASE keep half of it (the group then ends, see `StoreGroup.unit`).
                    try? db.rollback()
                }
            }
            throw error
        }
        try requireTransaction(db)
        try StatementWrite.run(prepared.statement(release, in: db))
        return value
    }

    /// Refuses to go on when the transaction this part belongs to is no longer open.
    ///
    /// Asks SQLite itself: GRDB's `isInsideTransaction` first checks the queue it is called on,
    /// and every write access of a unit comes here (a transition's dozen).
    static func requireTransaction(_ db: Database) throws {
        guard isInsideTransaction(db) else {
            throw StoreError.database("the transaction was rolled back after an earlier failure; nothing of this unit of work is kept")
        }
    }

    /// Whether `db` is inside a transaction, as SQLite says.
    static func isInsideTransaction(_ db: Database) -> Bool {
        guard let connection = db.sqliteConnection else { return false }
        return sqlite3_get_autocommit(connection) == 0
    }
}
