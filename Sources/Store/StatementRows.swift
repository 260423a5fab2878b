import GRDB
import GRDBSQLite

/// Steps a statement without GRDB `Row`s, for the reads on hot paths — a workflow transition
/// reads its instance, agreement and parties, and the audit chain's head, several times each.
/// Making a `Row` lowercases every column name into an index (forty of them for an agreement)
/// and `row["name"]` lowercases the name again: a tenth of a transition. These read columns by
/// position with SQLite's own functions.
enum StatementRows {
    /// Calls `body` with each result row of `statement` bound to `arguments`.
    static func each(_ statement: Statement, arguments: StatementArguments,
                     _ body: (SQLiteRow) throws -> Void) throws {
        // GRDB's single-column cursor steps the statement without making rows; column 0 read as
        // an optional integer is never an error, whatever it holds.
        let cursor = try Int64?.fetchCursor(statement, arguments: arguments)
        let row = SQLiteRow(statement: statement.sqliteStatement)
        while try cursor.next() != nil { try body(row) }
    }

    /// Calls `body` with each result row of `statement` with `values` bound to its parameters in
    /// order by SQLite's own functions (`StatementWrite.bind`): the reads a transition repeats.
    static func each<each Value: SQLiteBindable>(_ statement: Statement, binding values: repeat each Value,
                                                 body: (SQLiteRow) throws -> Void) throws {
        defer { StatementWrite.finish(statement) }
        try StatementWrite.bind(statement, repeat each values)
        let row = SQLiteRow(statement: statement.sqliteStatement)
        while true {
            switch sqlite3_step(statement.sqliteStatement) {
            case SQLITE_ROW: try body(row)
            case SQLITE_DONE: return
            case let code: throw StatementWrite.failure(code, statement)
            }
        }
    }

    /// The first result row of `statement` with `values` bound (as `each(_:binding:_:)`), made
    /// into a value by `make`; nil when there is none.
    static func first<T, each Value: SQLiteBindable>(_ statement: Statement, binding values: repeat each Value,
                                                     make: (SQLiteRow) throws -> T) throws -> T? {
        defer { StatementWrite.finish(statement) }
        try StatementWrite.bind(statement, repeat each values)
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW: return try make(SQLiteRow(statement: statement.sqliteStatement))
        case SQLITE_DONE: return nil
        case let code: throw StatementWrite.failure(code, statement)
        }
    }

    /// The first result row of `statement`, made into a value by `make`; nil when there is none.
    static func first<T>(_ statement: Statement, arguments: StatementArguments,
                         _ make: (SQLiteRow) throws -> T) throws -> T? {
        let cursor = try Int64?.fetchCursor(statement, arguments: arguments)
        guard try cursor.next() != nil else { return nil }
        return try make(SQLiteRow(statement: statement.sqliteStatement))
    }
}

/// The current row of a statement being stepped (valid only until the next step).
struct SQLiteRow {
    let statement: SQLiteStatement

    /// The text of column `index`; NULL reads as "".
    func text(_ index: Int32) -> String { optionalText(index) ?? "" }

    func optionalText(_ index: Int32) -> String? {
        // sqlite3_column_text gives NULL for a NULL column: no separate type check needed.
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func integer(_ index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }

    func optionalInteger(_ index: Int32) -> Int64? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
    }
}
