import Agreements
import GRDB
import GRDBSQLite

extension AgreementRow {
    /// Decodes the current row of `statement` (columns in `selection` order) straight from
    /// SQLite, without GRDB's per-column type dispatch: a full scan reads 100,000 of these.
    static func decode(_ statement: SQLiteStatement) throws -> Agreement {
        func text(_ column: Int32) -> String? {
            // sqlite3_column_text gives NULL for a NULL column: no separate type check needed.
            guard let bytes = sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        let id = sqlite3_column_int64(statement, 0)
        func date(_ column: Int32) throws -> LocalDate? {
            try AgreementRow.date(text(column), column: AgreementRow.dateColumns[Int(column) - 12], of: id)
        }
        func integer(_ column: Int32) -> Int64? {
            sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
        }
        guard let kind = text(3).flatMap(Kind.init(rawValue:)), let status = text(16).flatMap(Status.init(rawValue:)) else {
            throw StoreError.corrupt("agreement \(id) has an unknown kind or status")
        }
        let clauses = (text(19) ?? "").split(separator: ",").compactMap { PksClause(rawValue: String($0)) }
        return Agreement(
            id: id, number: text(1) ?? "", title: text(2) ?? "", kind: kind, subkind: text(4).flatMap(Subkind.init(rawValue:)),
            leadAgency: text(5) ?? "", object: text(6) ?? "", scope: text(7) ?? "", value: integer(8), funding: text(9) ?? "",
            membebaniMasyarakat: sqlite3_column_int64(statement, 10) != 0, belumDianggarkan: sqlite3_column_int64(statement, 11) != 0,
            startsOn: try date(12), endsOn: try date(13), pksStartsOn: try date(14), pksEndsOn: try date(15), status: status,
            stage: text(17) ?? "", endingGround: text(18).flatMap(EndingGround.init(rawValue:)), pksClauses: Set(clauses))
    }
}
