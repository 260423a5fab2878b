import GRDB

/// A unit of work in progress: the transaction (or, in a group, the savepoint) that the store's
/// records read and write through — `AgreementStore`, `AuditLog`, `ConfigurationLog` take one.
///
/// Only `SinergiDatabase` and `StoreSession` make units, and a unit is valid only inside the
/// closure that received it: used later, it throws `StoreError.misuse`. A read unit refuses
/// writes before the database would.
///
///     try database.read { unit in try store.count(AgreementFilter(kind: .ksdd), in: unit) }
public final class StoreUnit {
    public enum Access: Sendable, Equatable {
        /// A snapshot: reads only.
        case read
        /// Reads and writes, committed (or rolled back) as one.
        case write
    }

    public let access: Access
    private let db: Database
    private let prepared: PreparedStatements
    private var isOpen = true

    init(_ db: Database, _ prepared: PreparedStatements, access: Access) {
        self.db = db
        self.prepared = prepared
        self.access = access
    }

    /// Runs `body` as this unit's own closure: the unit ends when it returns or throws.
    static func run<T>(_ db: Database, _ prepared: PreparedStatements, access: Access, _ body: (StoreUnit) throws -> T) rethrows -> T {
        let unit = StoreUnit(db, prepared, access: access)
        defer { unit.isOpen = false }
        return try body(unit)
    }

    /// The connection, for a read; engine errors become `StoreError`.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        guard isOpen else { throw StoreError.misuse("a unit of work was used after it ended") }
        return try StoreError.mapping(on: db.filePath) { try body(db) }
    }

    /// How many rows this unit's connection has inserted, updated or deleted so far (SQLite's
    /// total changes, rolled-back ones included). Two equal readings mean nothing was written in
    /// between — by the store or by a script through it — so a record read before the first is
    /// still current at the second: a workflow transition uses it to skip reading an agreement
    /// again when its Lua functions changed nothing.
    public func writeCount() throws -> Int { try reading { $0.totalChangesCount } }

    /// Runs `body` as a part of this unit that is kept whole or not at all (a savepoint): when it
    /// throws, what it wrote is undone and the error rethrown, and the unit goes on. A script
    /// may catch an API call's error with `pcall` and commit: the failed call must leave nothing.
    public func atomically<T>(_ body: () throws -> T) throws -> T {
        guard access == .write else { return try body() }
        guard isOpen else { throw StoreError.misuse("a unit of work was used after it ended") }
        return try StoreError.mapping(on: db.filePath) { try StoreSavepoint.run(db, prepared, body) }
    }

    /// `sql`'s statement on this unit's connection, for `StatementWrite` and `StatementRows`
    /// inside `reading` or `writing` (which check the unit and its access).
    func statement(_ sql: StoreSQL, _ db: Database) throws -> Statement { try prepared.statement(sql, in: db) }

    /// The connection, for a write: refused in a read unit.
    ///
    /// A write unit always runs inside a transaction; when SQLite has rolled that back after a
    /// failure, a write would run — and commit — on its own, so it is refused.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        guard access == .write else { throw StoreError.misuse("this unit only reads; a change needs a write unit") }
        return try reading { db in
            try StoreSavepoint.requireTransaction(db)
            return try body(db)
        }
    }
}
