import GRDB

/// A part of a transaction kept whole or not at all — a group's unit, or a unit's `atomically`
/// part — through SAVEPOINT statements the connection prepares once and keeps.
///
/// GRDB's `inSavepoint` prepares its SAVEPOINT and RELEASE afresh every time: two parses per
/// savepoint, two savepoints per workflow transition. And where GRDB, finding no transaction,
/// would open one, this refuses: a savepoint is only ever part of a transaction, and when SQLite
/// has rolled that transaction back (a full disk, an `INSERT OR ROLLBACK`), what follows must
/// fail rather than run — and commit — on its own.
enum StoreSavepoint {
    private static let begin = StoreSQL("SAVEPOINT unit")
    private static let undo = StoreSQL("ROLLBACK TRANSACTION TO SAVEPOINT unit")
    private static let release = StoreSQL("RELEASE SAVEPOINT unit")

    static func run<T>(_ db: Database, _ prepared: PreparedStatements, _ body: () throws -> T) throws -> T {
        try requireTransaction(db)
        try prepared.statement(begin, in: db).execute()
        let value: T
        do {
            value = try body()
        } catch {
            if db.isInsideTransaction {
                do {
                    try prepared.statement(undo, in: db).execute()
                    try prepared.statement(release, in: db).execute()
                } catch {
                    // The part could not be undone alone: undo the whole transaction rather than
                    // let RELEASE keep half of it (the group then ends, see `StoreGroup.unit`).
                    try? db.rollback()
                }
            }
            throw error
        }
        try requireTransaction(db)
        try prepared.statement(release, in: db).execute()
        return value
    }

    /// Refuses to go on when the transaction this part belongs to is no longer open.
    static func requireTransaction(_ db: Database) throws {
        guard db.isInsideTransaction else {
            throw StoreError.database("the transaction was rolled back after an earlier failure; nothing of this unit of work is kept")
        }
    }
}
