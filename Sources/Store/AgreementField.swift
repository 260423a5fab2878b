import Agreements
import GRDB

/// One field of an agreement: its name, where it is kept, its type and codec, whether it may be
/// edited or cleared, and its doc line.
///
/// `AgreementField.all` is the one list of an agreement's fields. The Lua fields, the CSV and
/// JSON columns, the audit snapshot, the `agreement` table's columns, `help()` and the LuaLS
/// stubs are derived from it, so a new field is one entry there (plus its migration). The name
/// is the same everywhere: Lua, CSV header, JSON key, snapshot key and SQL column.
public struct AgreementField: Sendable {
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
    let extract: @Sendable (Agreement) -> FieldValue
    let assign: (@Sendable (inout Agreement, FieldValue) throws -> Void)?
    let formatCell: (@Sendable (Agreement) -> String)?
    let parseCell: (@Sendable (String) throws -> FieldValue)?
    let column: Column?
    /// A rule of this field checked on every write, beyond `AgreementRules.validate`.
    let rule: (@Sendable (Agreement) throws -> Void)?

    /// How a column field is written and read.
    struct Column: Sendable {
        let bind: @Sendable (Agreement) -> (any DatabaseValueConvertible)?
        let read: @Sendable (ColumnReader, inout Agreement) throws -> Void
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

    /// A field kept in its own column.
    static func column<Codec: ColumnCodec>(_ name: String, _ keyPath: WritableKeyPath<Agreement, Codec.Value> & Sendable,
                                           _ codec: Codec, fixed: Bool = false,
                                           rule: (@Sendable (Agreement) throws -> Void)? = nil, doc: String) -> AgreementField {
        AgreementField(
            name: name, type: codec.type, isOptional: codec.isOptional, storage: .column, isFixed: fixed, doc: doc,
            extract: { codec.encode($0[keyPath: keyPath]) },
            assign: { agreement, value in agreement[keyPath: keyPath] = try codec.decode(value, field: name) },
            formatCell: { codec.cell($0[keyPath: keyPath]) },
            parseCell: { try codec.value(fromCell: $0, field: name) },
            column: Column(bind: { codec.databaseValue($0[keyPath: keyPath]) },
                           read: { column, agreement in agreement[keyPath: keyPath] = try codec.read(column) }),
            rule: rule)
    }

    /// The parties, kept in the `party` table.
    static func parties(doc: String) -> AgreementField {
        let codec = PartiesCodec()
        return AgreementField(
            name: "parties", type: codec.type, isOptional: false, storage: .partyTable, isFixed: false, doc: doc,
            extract: { codec.encode($0.parties) },
            assign: { agreement, value in agreement.parties = try codec.decode(value, field: "parties") },
            formatCell: { codec.cell($0.parties) },
            parseCell: { try codec.value(fromCell: $0, field: "parties") },
            column: nil, rule: nil)
    }

    /// The record's id.
    static func identity(doc: String) -> AgreementField {
        AgreementField(name: "id", type: .integer, isOptional: false, storage: .identity, isFixed: true, doc: doc,
                       extract: { $0.id.map(FieldValue.integer) ?? .null }, assign: nil, formatCell: nil, parseCell: nil,
                       column: nil, rule: nil)
    }

    /// A read-only field computed from others.
    static func derived(_ name: String, _ type: FieldType, doc: String,
                        _ value: @escaping @Sendable (Agreement) -> FieldValue) -> AgreementField {
        AgreementField(name: name, type: type, isOptional: false, storage: .derived, isFixed: false, doc: doc,
                       extract: value, assign: nil, formatCell: nil, parseCell: nil, column: nil, rule: nil)
    }
}
