import Agreements
import GRDB
import GRDBSQLite

/// Some fields of stored agreements, as a page of a scan reads them: their ids and, agreement
/// after agreement, the values of the fields asked for in their order — each as
/// `AgreementField.value(of:)` gives it for the whole record. One array for the page, not one
/// per agreement.
public struct AgreementFieldsPage: Sendable {
    public let ids: [Int64]
    /// `width` values per agreement: those of the agreement at `row` start at `row * width`.
    public let values: [FieldValue]
    public let width: Int
}

extension AgreementStore {
    /// Up to `limit` agreements matching `filter` with ids above `afterId`, in id order, reading
    /// only the columns of `fields` (a projection): a scan that reads two fields of every
    /// agreement decodes two columns a row and builds no record around them.
    ///
    /// `fields` must be column fields (`storage == .column`); others are a misuse.
    public func fields(_ fields: [AgreementField], of filter: AgreementFilter, afterId: Int64, limit: Int,
                       in unit: StoreUnit) throws -> AgreementFieldsPage {
        let columns = try fields.map { field in
            guard let column = AgreementRow.fields.firstIndex(where: { $0 === field }) else {
                throw StoreError.misuse("\(field.name) is not kept in a column of the agreement table")
            }
            return column
        }
        return try unit.reading { db in
            let (statement, arguments) = try pageStatement(filter, selection: AgreementRow.selection(of: columns), afterId: afterId,
                                                           limit: limit, in: db)
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            var ids: [Int64] = []
            ids.reserveCapacity(limit)
            var values: [FieldValue] = []
            values.reserveCapacity(limit * columns.count)
            let sqlite = statement.sqliteStatement
            while try rows.next() != nil {
                let id = sqlite3_column_int64(sqlite, 0)
                ids.append(id)
                try AgreementRow.appendValues(sqlite, columns: columns, id: id, to: &values)
            }
            return AgreementFieldsPage(ids: ids, values: values, width: columns.count)
        }
    }
}
