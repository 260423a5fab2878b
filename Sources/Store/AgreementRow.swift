import Agreements
import GRDB
import GRDBSQLite

/// The `agreement` table's columns and the mapping between a row and an `Agreement`, derived
/// from `AgreementField.all` (each column field has the column of its name).
///
/// Decoding reads columns by position straight from the SQLite statement, which keeps a full
/// scan of 100,000 agreements fast; parties and documents are loaded separately, only when
/// asked for.
enum AgreementRow {
    /// The fields kept in columns, in table order.
    static let fields = AgreementField.all.filter { $0.column != nil }

    /// The columns INSERT and UPDATE write, in `fields` order.
    static let writableColumns = fields.map(\.name)

    /// `id` then every column of `fields`: the order `decode` reads.
    static let selection = (["id"] + writableColumns).joined(separator: ", ")
    /// One agreement by id (every transition reads one): the text made once, not at each read.
    static let selectionById = StoreSQL("SELECT \(selection) FROM agreement WHERE id = ?")

    /// How each column of `fields` is read, in order (the closures alone: nothing else to copy per row).
    private static let reads = fields.compactMap { $0.column?.read }

    /// Column values for INSERT/UPDATE, in the order of `writableColumns`.
    static func arguments(_ agreement: Agreement) -> [(any DatabaseValueConvertible)?] {
        fields.map { $0.column?.bind(agreement) }
    }

    /// `id` then the columns of `columns` (positions in `fields`): a scan's selection.
    static func selection(of columns: [Int]) -> String {
        (["id"] + columns.map { fields[$0].name }).joined(separator: ", ")
    }

    /// Appends the values of the current row of a scan (`selection(of: columns)`), in `columns`
    /// order: each column decoded alone, no record built around it.
    static func appendValues(_ statement: SQLiteStatement, columns: [Int], id: Int64, to values: inout [FieldValue]) throws {
        for (offset, column) in columns.enumerated() {
            values.append(try valueReads[column](ColumnReader(statement: statement, index: Int32(offset + 1), ordinal: column, id: id)))
        }
    }

    /// How each column of `fields` is read as a value alone, in order.
    private static let valueReads = fields.compactMap { $0.column?.value }

    /// Decodes the current row of `statement` (columns in `selection` order).
    static func decode(_ statement: SQLiteStatement) throws -> Agreement {
        let id = sqlite3_column_int64(statement, 0)
        // Every column below overwrites its placeholder, kind and stage included (an empty stage
        // spares Agreement.init looking up the kind's first one).
        var agreement = Agreement(id: id, number: "", title: "", kind: .ksdd, leadAgency: "", stage: "")
        for (offset, read) in reads.enumerated() {
            try read(ColumnReader(statement: statement, index: Int32(offset + 1), ordinal: offset, id: id), &agreement)
        }
        return agreement
    }
}
