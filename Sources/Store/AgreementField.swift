import Agreements
import GRDB

/// One field of an agreement: its name, where it is kept, its type and codec, whether it may be
/// edited or cleared, and its doc line.
///
/// `AgreementField.all` is the one list of an agreement's fields. The Lua fields, the CSV and
/// JSON columns, the audit snapshot, the `agreement` table's columns, `help()` and the LuaLS
/// stubs are derived from it, so a new field is one entry there (plus its migration). The name
/// is the same everywhere: Lua, CSV header, JSON key, snapshot key and SQL column; an office
/// register (Excel) heads the column with `header` and import also knows its `aliases`.
///
/// A class, not a struct: a full scan reads 20 fields of 100,000 rows, and copying a struct of
/// closures would retain and release each closure every time.
public final class AgreementField: Sendable {
    /// Where a field's value is kept.
    public enum Storage: Sendable, Equatable {
        /// The record's id: given by the database, never input.
        case identity
        /// The column of the `agreement` table named as the field.
        case column
        /// Rows of the `party` table, read with the agreement's details (not by a page of a scan).
        case partyTable
        /// Computed from other fields; read-only, never stored or exchanged.
        case derived
    }

    public let name: String
    public let type: FieldType
    /// Whether the field may be none: `null` in JSON, an empty cell, `false` to clear it in Lua.
    public let isOptional: Bool
    public let storage: Storage
    /// Given when the agreement is created and never changed afterwards (`kind`).
    public let isFixed: Bool
    /// One line for `help()` and the LuaLS stubs.
    public let doc: String
    /// The column's Indonesian header in an office register (`Nomor Perjanjian`): what
    /// `agreement export --excel` and `--format xlsx` write and `agreement template` lays out.
    public let header: String
    /// Other headers offices give the column (`OPD` for `Perangkat Daerah`); import matches these,
    /// the header and the name without regard to case, spaces and punctuation.
    public let aliases: [String]
    let extract: @Sendable (Agreement) -> FieldValue
    let assign: (@Sendable (inout Agreement, FieldValue) throws -> Void)?
    let formatCell: (@Sendable (Agreement) -> String)?
    let parseCell: (@Sendable (String) throws -> FieldValue)?
    let column: Column?
    /// A rule of this field checked on every write, beyond `AgreementRules.validate`.
    let rule: (@Sendable (Agreement) throws -> Void)?

    init(name: String, type: FieldType, isOptional: Bool, storage: Storage, isFixed: Bool, doc: String,
         header: String, aliases: [String],
         extract: @escaping @Sendable (Agreement) -> FieldValue, assign: (@Sendable (inout Agreement, FieldValue) throws -> Void)?,
         formatCell: (@Sendable (Agreement) -> String)?, parseCell: (@Sendable (String) throws -> FieldValue)?,
         column: Column?, rule: (@Sendable (Agreement) throws -> Void)?) {
        self.name = name
        self.type = type
        self.isOptional = isOptional
        self.storage = storage
        self.isFixed = isFixed
        self.doc = doc
        self.header = header
        self.aliases = aliases
        self.extract = extract
        self.assign = assign
        self.formatCell = formatCell
        self.parseCell = parseCell
        self.column = column
        self.rule = rule
    }

    /// How a column field is written and read: into a record, or as the value alone (what a scan
    /// hands out; `value(of:)` of a record read with `read` gives the same).
    struct Column: Sendable {
        let bind: @Sendable (Agreement) -> (any DatabaseValueConvertible)?
        let read: @Sendable (ColumnReader, inout Agreement) throws -> Void
        let value: @Sendable (ColumnReader) throws -> FieldValue
    }

    /// Input may set it (create, update, import): stored and not the id.
    public var isEditable: Bool { assign != nil }
    /// Input may clear it.
    public var isClearable: Bool { isEditable && isOptional }
    /// Written to CSV and read back by import: every stored field but the id.
    public var isExchanged: Bool { storage == .column || storage == .partyTable }
    /// Kept in the audit trail's snapshot of the record: every stored field and the id.
    public var isAudited: Bool { storage != .derived }

    /// The field's value in `agreement`.
    public func value(of agreement: Agreement) -> FieldValue { extract(agreement) }

    /// The CSV cell of the field in `agreement` ("" for a field that is not exchanged).
    public func cell(of agreement: Agreement) -> String { formatCell?(agreement) ?? "" }

    /// Cell text (CSV, `--set name=value`) as input for this field; an empty cell clears an
    /// optional field.
    public func value(fromCell text: String) throws -> FieldValue {
        guard let parseCell else { throw Self.readOnly(name) }
        return try parseCell(text)
    }

    static func readOnly(_ name: String) -> DomainError {
        .validation("\(name): a read-only field of an agreement; it cannot be set")
    }

    // MARK: - Building the table

    /// A field kept in its own column: `get` and `set` reach its property of `Agreement`.
    ///
    /// Closures rather than a key path: a full scan decodes 20 columns of 100,000 rows, and a
    /// key path is applied through the runtime (three times slower in `sinergi bench store`).
    static func column<Codec: ColumnCodec>(_ name: String, _ codec: Codec,
                                           _ get: @escaping @Sendable (Agreement) -> Codec.Value,
                                           _ set: @escaping @Sendable (inout Agreement, Codec.Value) -> Void,
                                           fixed: Bool = false, rule: (@Sendable (Agreement) throws -> Void)? = nil,
                                           header: String, aliases: [String] = [], doc: String) -> AgreementField {
        AgreementField(
            name: name, type: codec.type, isOptional: codec.isOptional, storage: .column, isFixed: fixed, doc: doc,
            header: header, aliases: aliases,
            extract: { codec.encode(get($0)) },
            assign: { agreement, value in set(&agreement, try codec.decode(value, field: name)) },
            formatCell: { codec.cell(get($0)) },
            parseCell: { try codec.value(fromCell: $0, field: name) },
            column: Column(bind: { codec.databaseValue(get($0)) },
                           read: { column, agreement in set(&agreement, try codec.read(column)) },
                           value: { codec.encode(try codec.read($0)) }),
            rule: rule)
    }

    /// The parties, kept in the `party` table.
    static func parties(header: String, aliases: [String], doc: String) -> AgreementField {
        let codec = PartiesCodec()
        return AgreementField(
            name: "parties", type: codec.type, isOptional: false, storage: .partyTable, isFixed: false, doc: doc,
            header: header, aliases: aliases,
            extract: { codec.encode($0.parties) },
            assign: { agreement, value in agreement.parties = try codec.decode(value, field: "parties") },
            formatCell: { codec.cell($0.parties) },
            parseCell: { try codec.value(fromCell: $0, field: "parties") },
            column: nil, rule: nil)
    }

    /// The record's id.
    static func identity(doc: String) -> AgreementField {
        AgreementField(name: "id", type: .integer, isOptional: false, storage: .identity, isFixed: true, doc: doc,
                       header: "ID", aliases: [],
                       extract: { $0.id.map(FieldValue.integer) ?? .null }, assign: nil, formatCell: nil, parseCell: nil,
                       column: nil, rule: nil)
    }

    /// A read-only field computed from others.
    static func derived(_ name: String, _ type: FieldType, doc: String,
                        _ value: @escaping @Sendable (Agreement) -> FieldValue) -> AgreementField {
        AgreementField(name: name, type: type, isOptional: false, storage: .derived, isFixed: false, doc: doc,
                       header: name, aliases: [],
                       extract: value, assign: nil, formatCell: nil, parseCell: nil, column: nil, rule: nil)
    }
}
