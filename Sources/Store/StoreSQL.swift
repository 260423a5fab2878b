import GRDB
import Synchronization

/// One of the store's fixed SQL texts on the hot path — the twenty statements a workflow
/// transition runs — numbered once, so that a connection finds its prepared statement by that
/// number (`PreparedStatements`).
///
/// GRDB's `cachedStatement(sql:)` finds a statement by hashing and comparing its whole text at
/// every use: ≈ 570 instructions each, 3.5 % of a timer's transition (callgrind, `sinergi bench
/// workflow`). Cold statements keep using it.
final class StoreSQL: Sendable {
    let text: String
    /// The statement's slot in every connection's `PreparedStatements`.
    let index: Int

    private static let issued = Atomic<Int>(0)

    /// Only as a `static let`: each instance takes a slot for the life of the process.
    init(_ text: String) {
        self.text = text
        index = Self.issued.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

/// The statements one connection prepared from `StoreSQL` texts, by their numbers.
///
/// Owned by the `SinergiDatabase` whose connection prepared them, and used only inside that
/// connection's queue (`DatabaseQueue.inDatabase`), which serialises every use: hence unchecked.
final class PreparedStatements: @unchecked Sendable {
    private var statements: [Statement?] = []

    /// `sql`'s statement on `db`, prepared at its first use on this connection.
    func statement(_ sql: StoreSQL, in db: Database) throws -> Statement {
        if sql.index < statements.count, let statement = statements[sql.index] { return statement }
        let statement = try db.makeStatement(sql: sql.text)
        if sql.index >= statements.count { statements += Array(repeating: nil, count: sql.index + 1 - statements.count) }
        statements[sql.index] = statement
        return statement
    }

    /// Finalizes every statement (before the connection closes).
    func removeAll() { statements = [] }
}
