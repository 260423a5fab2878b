import Agreements
import LuaKit
import Store

/// Lua values to and from the store's `FieldValue`s: the one place where a script's arguments
/// (`agreements.create{…}`, `a:update{…}`, `agreements.find{…}`, `a:attach{…}`) become input for
/// the store, and where field values become Lua values.
///
/// A date is a `date(…)` value or `"YYYY-MM-DD"` text; `false` clears an optional field (`nil`
/// there means "not given"). Tables convert at most `FieldValue.maximumDepth` deep, so a graph
/// of tables that share each other costs its size, never its expansion.
enum LuaFieldValue {
    /// The named values of `table`, each converted for its field; `expected` names what a field
    /// takes, for the message when a script passes a function or other object.
    static func values(_ table: LuaTable, of noun: String, expected: (String) -> FieldType?) throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        values.reserveCapacity(table.pairs.count)
        for (key, value) in table.pairs {
            guard let name = key.stringValue else { throw DomainError.validation("\(describe(key)): not a field of \(noun)") }
            values[name] = try self.value(value, field: name, expected: expected(name))
        }
        return values
    }

    /// One value as a `FieldValue` (nil for `nil`).
    static func value(_ value: LuaValue, field: String, expected: FieldType?, depth: Int = 0) throws -> FieldValue? {
        switch value {
        case .nil: return nil
        case let .boolean(flag): return .boolean(flag)
        case let .integer(number): return .integer(number)
        case let .number(number):
            return number == number.rounded() && abs(number) < 9e18 ? .integer(Int64(number)) : .number(number)
        case let .string(bytes): return .text(try text(bytes, field: field))
        case let .userdata(reference):
            guard let date = reference.object as? DateValue else {
                throw DomainError.validation("\(field): expected \(expected?.described ?? "a value"), got \(reference.className ?? "userdata")")
            }
            return .date(date.date)
        case let .table(table):
            guard depth < FieldValue.maximumDepth else { throw FieldValue.tooDeep(field) }
            let sequence = table.sequence
            if sequence.count == table.pairs.count {
                return .list(try sequence.compactMap { try self.value($0, field: field, expected: nil, depth: depth + 1) })
            }
            var record: [String: FieldValue] = [:]
            for (key, element) in table.pairs {
                guard let name = key.stringValue else {
                    throw DomainError.validation("\(field): expected \(expected?.described ?? "a value"), got a table with a \(key.typeName) key")
                }
                record[name] = try self.value(element, field: "\(field).\(name)", expected: nil, depth: depth + 1)
            }
            return .record(record)
        case .function:
            throw DomainError.validation("\(field): expected \(expected?.described ?? "a value"), got a function")
        }
    }

    /// `bytes` as text, refused unless they are UTF-8.
    ///
    /// Lua strings are bytes; stored text is UTF-8. Decoding replaced each invalid byte with
    /// U+FFFD, so `a:update{ title = "\xff" }` succeeded and kept something the script never
    /// wrote (and a `find` matched what it was not asked). An import names the first line that is
    /// not UTF-8; a script is told the field and the byte.
    static func text(_ bytes: [UInt8], field: String) throws -> String {
        // The standard library's validator (optimised code even in a debug build): comparing the
        // decoded text with the bytes doubled the time of a create with 30 KB of notes.
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = zip(String(decoding: bytes, as: UTF8.self).utf8, bytes).prefix { $0 == $1 }.count
        throw DomainError.validation("\(field): the text is not UTF-8 (byte \(offset + 1) of \(bytes.count) is 0x"
                                     + "\(String(bytes[min(offset, bytes.count - 1)], radix: 16, uppercase: true))); Sinergi keeps text as UTF-8")
    }

    /// A field value as Lua sees it: dates as `date` objects, lists and records as tables.
    static func lua(_ value: FieldValue, _ call: LuaCall, _ dates: LuaClass<DateValue>) -> LuaValue {
        switch value {
        case .null: return .nil
        case let .text(text): return .text(text)
        case let .integer(number): return .integer(number)
        case let .number(number): return .number(number)
        case let .boolean(flag): return .boolean(flag)
        case let .date(date): return call.value(of: DateValue(date), as: dates)
        case let .list(values): return .table(LuaTable(sequence: values.map { lua($0, call, dates) }))
        case let .record(fields):
            return .table(LuaTable(pairs: fields.sorted { $0.key < $1.key }.map { (key: .text($0.key), value: lua($0.value, call, dates)) }))
        }
    }

    /// Pushes a field value (scalars directly: a scan reads many).
    static func push(_ value: FieldValue, _ call: LuaCall, _ dates: LuaClass<DateValue>) throws {
        switch value {
        case .null: call.pushNil()
        case let .text(text): call.push(string: text)
        case let .integer(number): call.push(integer: number)
        case let .boolean(flag): call.push(boolean: flag)
        case let .date(date): call.push(DateValue(date), as: dates)
        case .number, .list, .record: try call.push(lua(value, call, dates))
        }
    }

    /// How messages show a Lua value that is not a field name.
    static func describe(_ value: LuaValue) -> String {
        switch value {
        case let .string(bytes): return "'\(String(decoding: bytes, as: UTF8.self))'"
        case let .integer(number): return String(number)
        case let .number(number): return LuaValue.formatNumber(number)
        case let .boolean(flag): return String(flag)
        default: return value.typeName
        }
    }
}
