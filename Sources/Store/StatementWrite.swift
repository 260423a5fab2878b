import GRDB
import GRDBSQLite

/// Runs the store's hot writes — the dozen a workflow transition makes (stage, audit rows,
/// history, tasks, timers, outbox) — binding each value with SQLite's own functions.
///
/// GRDB's `execute(arguments:)` boxes every value into `StatementArguments`, checks them against
/// the statement's parameters and binds them through nested closures: about a tenth of a
/// transition (callgrind, `sinergi bench workflow`). These statements are the store's own fixed
/// SQL with a known parameter list, so the check is a count. A statement run here is reset and
/// cleared after each run and used for nothing else (GRDB's record of its arguments would be
/// stale), and it runs inside a unit's `writing` access, which refuses a read unit.
enum StatementWrite {
    /// Binds `values` to `statement`'s parameters in order and steps it to its end; engine errors
    /// are GRDB's `DatabaseError`, as `execute(arguments:)` throws (`StoreError.mapping` maps them).
    /// Returns the rows it inserted, updated or deleted (SQLite's own count: GRDB's
    /// `changesCount` first checks the queue it is called on, a transition's dozen times).
    @discardableResult
    static func run<each Value: SQLiteBindable>(_ statement: Statement, _ values: repeat each Value) throws -> Int {
        defer { finish(statement) }
        try bind(statement, repeat each values)
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else { throw failure(code, statement) }
        return Int(sqlite3_changes(sqlite3_db_handle(statement.sqliteStatement)))
    }

    /// Binds `values` to `statement`'s parameters in order, after resetting it; the caller steps
    /// it and then calls `finish` (`StatementRows` does, for the reads on the same paths).
    static func bind<each Value: SQLiteBindable>(_ statement: Statement, _ values: repeat each Value) throws {
        let sqlite = statement.sqliteStatement
        finish(statement)
        var index: Int32 = 0
        var code = SQLITE_OK
        func bind(_ value: some SQLiteBindable) {
            index += 1
            if code == SQLITE_OK { code = value.bind(to: sqlite, at: index) }
        }
        repeat bind(each values)
        guard index == sqlite3_bind_parameter_count(sqlite) else {
            throw StoreError.misuse("\(index) values for the \(sqlite3_bind_parameter_count(sqlite)) parameters of: \(statement.sql)")
        }
        guard code == SQLITE_OK else { throw failure(code, statement) }
    }

    /// Resets `statement` and drops its bound values (SQLite's copies of them).
    static func finish(_ statement: Statement) {
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    /// SQLite's result `code` for `statement` as the `DatabaseError` GRDB would throw.
    static func failure(_ code: Int32, _ statement: Statement) -> DatabaseError {
        let message = sqlite3_db_handle(statement.sqliteStatement).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// A value `StatementWrite` binds to a parameter: integers, text, and either as optional (NULL).
protocol SQLiteBindable {
    /// Binds the value to parameter `index` (1-based) of `statement`; SQLite's result code.
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32
}

extension Int64: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension String: SQLiteBindable {
    /// Copied by SQLite (`SQLITE_TRANSIENT`): the bytes are Swift's only while the call lasts.
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { bytes in
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not "".
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, index, "", 0, sqliteTransient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text64(statement, index, $0, sqlite3_uint64(bytes.count), sqliteTransient, UInt8(SQLITE_UTF8))
            }
        }
    }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .none: return sqlite3_bind_null(statement, index)
        case let .some(value): return value.bind(to: statement, at: index)
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT` destructor: "copy the value now".
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
