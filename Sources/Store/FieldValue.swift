import Agreements
import Foundation

/// A field's value in the one form every front end shares: what a Lua table, a JSON object, a
/// CSV cell or `--set name=value` becomes before a field's codec reads it, and what a codec gives
/// back for Lua, JSON and the audit snapshot.
///
/// Lua-free on purpose: ScriptHost converts Lua values to and from these in one place, and the
/// CLI and the exchange formats never build Lua tables. Values nest at most
/// `FieldValue.maximumDepth` deep (a list of parties, each a record of text): converters refuse
/// deeper input, so a table graph that shares itself is never expanded.
///
/// Not `indirect`: lists and records nest through their collections' storage already, and an
/// indirect enum boxes every value on the heap (a scan reads two of them per agreement).
///
///     AgreementField.named("ends_on")?.value(of: agreement)   // .date(2031-12-31)
public enum FieldValue: Equatable, Sendable {
    /// None: JSON null, the empty cell of an optional field (Lua scripts write `false`).
    case null
    case text(String)
    case integer(Int64)
    /// A number that is not whole; kept so that a codec can say what it was given.
    case number(Double)
    case boolean(Bool)
    case date(LocalDate)
    case list([FieldValue])
    case record([String: FieldValue])

    /// How deep input may nest: a list (1) of records (2) of scalars.
    public static let maximumDepth = 2

    /// The error for input nested deeper than `maximumDepth`.
    public static func tooDeep(_ field: String) -> DomainError {
        .validation("\(field): nested too deeply (a field holds at most a list of records)")
    }

    /// How messages show the value: `'text'`, `12`, `true`, `a list`.
    public var described: String {
        switch self {
        case .null: return "none"
        case let .text(text): return "'\(text)'"
        case let .integer(number): return String(number)
        case let .number(number): return String(number)
        case let .boolean(flag): return String(flag)
        case let .date(date): return date.description
        case .list: return "a list"
        case .record: return "a record"
        }
    }

    // MARK: - JSON

    /// The value as `JSONSerialization` writes it: dates as `YYYY-MM-DD`, none as `NSNull`.
    public var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case let .text(text): return text
        case let .integer(number): return number
        case let .number(number): return number
        case let .boolean(flag): return flag
        case let .date(date): return date.description
        case let .list(values): return values.map(\.jsonObject)
        case let .record(fields): return fields.mapValues(\.jsonObject)
        }
    }

    /// A value from what `JSONSerialization` read for `field`; refuses input nested deeper than
    /// `maximumDepth` and values JSON cannot hold.
    public init(json: Any, field: String, depth: Int = 0) throws {
        switch json {
        case is NSNull: self = .null
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumbers of ObjC type "c" (char).
            if String(cString: number.objCType) == "c" {
                self = .boolean(number.boolValue)
            } else {
                let double = number.doubleValue
                self = double == double.rounded() && abs(double) < 9e18 ? .integer(number.int64Value) : .number(double)
            }
        case let text as String: self = .text(text)
        case let list as [Any]:
            guard depth < Self.maximumDepth else { throw Self.tooDeep(field) }
            self = .list(try list.map { try FieldValue(json: $0, field: field, depth: depth + 1) })
        case let object as [String: Any]:
            guard depth < Self.maximumDepth else { throw Self.tooDeep(field) }
            self = .record(try object.mapValues { try FieldValue(json: $0, field: field, depth: depth + 1) })
        default:
            throw DomainError.validation("\(field): a JSON value of type \(type(of: json)) is not a field value")
        }
    }

    /// Calls `body` with each text this value holds, in lists and records too.
    func forEachText(_ body: (String) throws -> Void) rethrows {
        switch self {
        case let .text(text): try body(text)
        case let .list(values): for value in values { try value.forEachText(body) }
        case let .record(fields): for value in fields.values { try value.forEachText(body) }
        case .null, .integer, .number, .boolean, .date: break
        }
    }

    /// Appends canonical JSON (keys sorted, no whitespace), for the audit trail.
    ///
    /// Written by hand because the audit row is on every write's path and Foundation's
    /// JSONEncoder cost more than the rest of a create together (`sinergi bench store`).
    func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .text(text): JSONString.append(text, to: &out)
        case let .integer(number): out.append(contentsOf: String(number).utf8)
        case let .number(number): out.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
        case let .boolean(flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .date(date): JSONString.append(date.description, to: &out)
        case let .list(values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .record(fields):
            out.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONString.append(key, to: &out)
                out.append(UInt8(ascii: ":"))
                fields[key]?.appendJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
