import Agreements
import Foundation
import GRDB
import GRDBSQLite

/// What kind of value a field holds, as front ends describe it: LuaLS types, help, messages.
public indirect enum FieldType: Equatable, Sendable {
    case text
    /// A whole number (rupiah).
    case integer
    case boolean
    /// A calendar date, `YYYY-MM-DD` in text.
    case date
    /// One of these names.
    case choice([String])
    case list(FieldType)
    /// `{ name, kind, form }`, a partner of the agreement.
    case party

    /// What input of this type looks like, for messages: `a date (YYYY-MM-DD)`.
    public var described: String {
        switch self {
        case .text: return "text"
        case .integer: return "a whole number"
        case .boolean: return "true or false"
        case .date: return "a date (YYYY-MM-DD)"
        case let .choice(names): return "one of: \(names.joined(separator: ", "))"
        case let .list(element): return "a list, each \(element.described)"
        case .party: return "a party { name, kind }"
        }
    }
}

/// How one field's values are read from input, written out, and kept in its SQLite column.
///
/// One codec per kind of value; `AgreementField` pairs a codec with a property of `Agreement`.
/// Input arrives as a `FieldValue` (Lua, JSON) or as cell text (CSV, `--set`); errors name the
/// field, what it expects and what it got.
protocol FieldCodec: Sendable {
    associatedtype Value
    var type: FieldType { get }
    /// Whether the field may be none (cleared).
    var isOptional: Bool { get }
    /// The value from input; throws `DomainError.validation` naming `field`.
    func decode(_ value: FieldValue, field: String) throws -> Value
    func encode(_ value: Value) -> FieldValue
    /// Cell text (CSV, `--set`) as input.
    func value(fromCell text: String, field: String) throws -> FieldValue
    /// The cell text of a value; `value(fromCell: cell(v))` decodes to `v`.
    func cell(_ value: Value) -> String
}

extension FieldCodec {
    var isOptional: Bool { false }
}

/// A codec whose values live in one column of the `agreement` table.
protocol ColumnCodec: FieldCodec {
    func databaseValue(_ value: Value) -> (any DatabaseValueConvertible)?
    /// The value of a non-NULL column; text that does not decode is `StoreError.corrupt`.
    func read(_ column: ColumnReader) throws -> Value
}

/// One column of the current row of a statement, read straight from SQLite (a full scan reads
/// 100,000 rows), with what a corruption report needs to name the place.
struct ColumnReader {
    let statement: SQLiteStatement
    /// The column's position in the statement's selection (0 is the id).
    let index: Int32
    /// The column's position in `AgreementRow.fields` (a scan selects only some columns).
    let ordinal: Int
    let id: Int64

    /// The column's name, for messages (looked up only then: a scan reads millions of columns).
    var column: String { AgreementRow.writableColumns[ordinal] }

    var isNull: Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    var text: String {
        // sqlite3_column_text gives NULL for a NULL column: no separate type check needed.
        guard let bytes = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    var integer: Int64 { sqlite3_column_int64(statement, index) }

    /// Damage, reported rather than read as a default: a default would be written back by the
    /// next unrelated update and the value lost.
    func corrupt(_ text: String, expected: String) -> StoreError {
        .corrupt("\(column) of agreement \(id) holds '\(text)', which is not \(expected)")
    }
}

func invalid(_ field: String, _ got: String, _ allowed: [String]) -> DomainError {
    .validation("\(field): '\(got)' is not one of: \(allowed.joined(separator: ", "))")
}

func mismatch(_ field: String, expected: String, got value: FieldValue) -> DomainError {
    .validation("\(field): expected \(expected), got \(value.described)")
}

/// Splits a list cell (`a; b`) into trimmed, non-empty items.
func listItems(_ text: String) -> [String] {
    text.split(separator: ";").map { String($0).trimmingBlanks(newlines: false) }.filter { !$0.isEmpty }
}

// MARK: - Codecs

struct TextCodec: ColumnCodec {
    var type: FieldType { .text }
    func decode(_ value: FieldValue, field: String) throws -> String {
        guard case let .text(text) = value else { throw mismatch(field, expected: "text", got: value) }
        return text
    }
    func encode(_ value: String) -> FieldValue { .text(value) }
    func value(fromCell text: String, field: String) throws -> FieldValue { .text(text) }
    func cell(_ value: String) -> String { value }
    func databaseValue(_ value: String) -> (any DatabaseValueConvertible)? { value }
    func read(_ column: ColumnReader) throws -> String { column.text }
}

struct IntegerCodec: ColumnCodec {
    /// What the number counts, for messages: `a whole number of rupiah`.
    let noun: String
    var type: FieldType { .integer }
    func decode(_ value: FieldValue, field: String) throws -> Int64 {
        switch value {
        case let .integer(number): return number
        case let .number(number) where number == number.rounded() && abs(number) < 9e18: return Int64(number)
        default: throw mismatch(field, expected: noun, got: value)
        }
    }
    func encode(_ value: Int64) -> FieldValue { .integer(value) }
    func value(fromCell text: String, field: String) throws -> FieldValue {
        guard let number = Int64(text.trimmingBlanks(newlines: false)) else {
            throw DomainError.validation("\(field): '\(text)' is not \(noun)")
        }
        return .integer(number)
    }
    func cell(_ value: Int64) -> String { String(value) }
    func databaseValue(_ value: Int64) -> (any DatabaseValueConvertible)? { value }
    func read(_ column: ColumnReader) throws -> Int64 { column.integer }
}

struct BooleanCodec: ColumnCodec {
    var type: FieldType { .boolean }
    func decode(_ value: FieldValue, field: String) throws -> Bool {
        guard case let .boolean(flag) = value else { throw mismatch(field, expected: "true or false", got: value) }
        return flag
    }
    func encode(_ value: Bool) -> FieldValue { .boolean(value) }
    func value(fromCell text: String, field: String) throws -> FieldValue {
        switch text.trimmingBlanks(newlines: false).lowercased() {
        case "true", "ya", "yes", "1": return .boolean(true)
        case "false", "tidak", "no", "0": return .boolean(false)
        default: throw DomainError.validation("\(field): '\(text)' is not true or false")
        }
    }
    func cell(_ value: Bool) -> String { String(value) }
    func databaseValue(_ value: Bool) -> (any DatabaseValueConvertible)? { value }
    func read(_ column: ColumnReader) throws -> Bool { column.integer != 0 }
}

struct DateCodec: ColumnCodec {
    var type: FieldType { .date }
    func decode(_ value: FieldValue, field: String) throws -> LocalDate {
        switch value {
        case let .date(date): return date
        case let .text(text):
            guard let date = LocalDate(text) else { throw DomainError.validation("\(field): '\(text)' is not a date (YYYY-MM-DD)") }
            return date
        default: throw mismatch(field, expected: "a date (YYYY-MM-DD)", got: value)
        }
    }
    func encode(_ value: LocalDate) -> FieldValue { .date(value) }
    func value(fromCell text: String, field: String) throws -> FieldValue { .text(text) }
    func cell(_ value: LocalDate) -> String { value.description }
    func databaseValue(_ value: LocalDate) -> (any DatabaseValueConvertible)? { value.description }
    func read(_ column: ColumnReader) throws -> LocalDate {
        let text = column.text
        guard let date = LocalDate(text) else { throw column.corrupt(text, expected: "a date (YYYY-MM-DD)") }
        return date
    }
}

/// One name of a `CaseIterable` enumeration (kind, status, subkind, ending ground).
struct ChoiceCodec<Choice: RawRepresentable & CaseIterable & Sendable>: ColumnCodec where Choice.RawValue == String {
    var names: [String] { Choice.allCases.map { $0.rawValue } }
    var type: FieldType { .choice(names) }
    func decode(_ value: FieldValue, field: String) throws -> Choice {
        guard case let .text(text) = value else { throw mismatch(field, expected: "text", got: value) }
        guard let choice = Choice(rawValue: text) else { throw invalid(field, text, names) }
        return choice
    }
    func encode(_ value: Choice) -> FieldValue { .text(value.rawValue) }
    func value(fromCell text: String, field: String) throws -> FieldValue { .text(text) }
    func cell(_ value: Choice) -> String { value.rawValue }
    func databaseValue(_ value: Choice) -> (any DatabaseValueConvertible)? { value.rawValue }
    func read(_ column: ColumnReader) throws -> Choice {
        let text = column.text
        guard let choice = Choice(rawValue: text) else { throw column.corrupt(text, expected: "one of: \(names.joined(separator: ", "))") }
        return choice
    }
}

/// A set of names of an enumeration (the PKS clauses); written sorted, kept comma-separated.
/// (Closures, not `\.rawValue`: a key path in generic code is built at run time on every
/// call — it was 8 % of a workflow transition, which snapshots the agreement twice.)
struct ChoiceSetCodec<Choice: RawRepresentable & CaseIterable & Hashable & Sendable>: ColumnCodec where Choice.RawValue == String {
    /// What the list holds, for messages: `clause names`.
    let noun: String
    var names: [String] { Choice.allCases.map { $0.rawValue } }
    var type: FieldType { .list(.choice(names)) }
    func decode(_ value: FieldValue, field: String) throws -> Set<Choice> {
        guard case let .list(items) = value else { throw mismatch(field, expected: "a list of \(noun)", got: value) }
        return Set(try items.map { item in
            guard case let .text(text) = item, let choice = Choice(rawValue: text) else {
                if case let .text(text) = item { throw invalid(field, text, names) }
                throw mismatch(field, expected: "a list of \(noun)", got: item)
            }
            return choice
        })
    }
    func encode(_ value: Set<Choice>) -> FieldValue { .list(value.map { $0.rawValue }.sorted().map(FieldValue.text)) }
    func value(fromCell text: String, field: String) throws -> FieldValue { .list(listItems(text).map(FieldValue.text)) }
    func cell(_ value: Set<Choice>) -> String { value.map { $0.rawValue }.sorted().joined(separator: "; ") }
    func databaseValue(_ value: Set<Choice>) -> (any DatabaseValueConvertible)? {
        value.map { $0.rawValue }.sorted().joined(separator: ",")
    }
    func read(_ column: ColumnReader) throws -> Set<Choice> {
        Set(try column.text.split(separator: ",").map { name in
            guard let choice = Choice(rawValue: String(name)) else { throw column.corrupt(String(name), expected: "one of: \(names.joined(separator: ", "))") }
            return choice
        })
    }
}

/// A list of names (the third parties): a JSON array in its column, `a; b` in a cell. The
/// count is checked before the list is read, as for parties.
struct NamesCodec: ColumnCodec {
    /// Refuses a list longer than the field allows.
    let requireCount: @Sendable (Int) throws -> Void
    var type: FieldType { .list(.text) }
    func decode(_ value: FieldValue, field: String) throws -> [String] {
        guard case let .list(items) = value else { throw mismatch(field, expected: "a list of names", got: value) }
        try requireCount(items.count)
        return try items.map { item in
            guard case let .text(name) = item else { throw mismatch(field, expected: "a list of names", got: item) }
            return name
        }
    }
    func encode(_ value: [String]) -> FieldValue { .list(value.map(FieldValue.text)) }
    func value(fromCell text: String, field: String) throws -> FieldValue {
        let items = listItems(text)
        try requireCount(items.count)
        return .list(items.map(FieldValue.text))
    }
    func cell(_ value: [String]) -> String { value.joined(separator: "; ") }
    func databaseValue(_ value: [String]) -> (any DatabaseValueConvertible)? {
        var out: [UInt8] = []
        FieldValue.list(value.map(FieldValue.text)).appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
    func read(_ column: ColumnReader) throws -> [String] {
        let text = column.text
        // Most agreements have none: a scan must not run a JSON decoder per row for them.
        if text == "[]" { return [] }
        guard let names = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw column.corrupt(text, expected: "a JSON list of names")
        }
        return names
    }
}

/// An optional value: none is `.null` (JSON null, an empty cell) or `false` (how Lua scripts
/// clear a field, since `nil` there means "not given"); NULL in the column.
struct OptionalCodec<Wrapped: ColumnCodec>: ColumnCodec {
    let wrapped: Wrapped
    var type: FieldType { wrapped.type }
    var isOptional: Bool { true }
    func decode(_ value: FieldValue, field: String) throws -> Wrapped.Value? {
        if value == .null || (value == .boolean(false) && wrapped.type != .boolean) { return nil }
        return try wrapped.decode(value, field: field)
    }
    func encode(_ value: Wrapped.Value?) -> FieldValue { value.map(wrapped.encode) ?? .null }
    func value(fromCell text: String, field: String) throws -> FieldValue {
        text.isEmpty ? .null : try wrapped.value(fromCell: text, field: field)
    }
    func cell(_ value: Wrapped.Value?) -> String { value.map(wrapped.cell) ?? "" }
    func databaseValue(_ value: Wrapped.Value?) -> (any DatabaseValueConvertible)? { value.flatMap(wrapped.databaseValue) }
    func read(_ column: ColumnReader) throws -> Wrapped.Value? { column.isNull ? nil : try wrapped.read(column) }
}
