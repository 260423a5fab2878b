import CLua
import Foundation
import CLuaShim

/// A Lua value on the Swift side.
///
/// Strings are bytes (Lua strings may hold NUL and non-UTF-8 data); integers stay integers and
/// floats stay floats, as in Lua 5.4. Tables convert deeply into `LuaTable`; functions and
/// userdata stay in the state and are held through a `LuaReference`.
public enum LuaValue: Equatable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)
    case function(LuaReference)
    case userdata(LuaReference)

    /// A string value from Swift text.
    public static func text(_ string: String) -> LuaValue { .string(Array(string.utf8)) }

    /// The text of a string value (invalid UTF-8 repaired), or nil for other types.
    public var stringValue: String? {
        if case let .string(bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// The Lua type name (`nil`, `boolean`, `number`, `string`, `table`, `function`, `userdata`).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case let .userdata(reference): return reference.luaTypeName
        }
    }

    /// Formats a float the way Lua's `tostring` does (`%.14g`, with `.0` on integral values).
    public static func formatNumber(_ value: Double) -> String {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var text = String(format: "%.14g", value)
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) { text += ".0" }
        return text
    }
}

/// A Lua table converted to Swift: its pairs in the order `next` gave them.
///
/// Keys keep Lua's identity rules (integer 1 and float 1.0 are one key in Lua, and arrive here
/// as the integer). Lookup is linear; tables from scripts are small, and order is preserved.
public struct LuaTable: Equatable, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    public var pairs: [(key: LuaValue, value: LuaValue)]

    public init(pairs: [(key: LuaValue, value: LuaValue)] = []) { self.pairs = pairs }

    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
    }

    public init(arrayLiteral elements: LuaValue...) {
        self.init(sequence: elements)
    }

    /// A Lua sequence: `elements` at keys 1…n.
    public init(sequence elements: [LuaValue]) {
        pairs = elements.enumerated().map { (key: .integer(Int64($0.offset + 1)), value: $0.element) }
    }

    public subscript(key: LuaValue) -> LuaValue {
        get { pairs.first(where: { $0.key == key })?.value ?? .nil }
        set {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                if newValue == .nil { pairs.remove(at: index) } else { pairs[index].value = newValue }
            } else if newValue != .nil {
                pairs.append((key: key, value: newValue))
            }
        }
    }

    public subscript(field: String) -> LuaValue {
        get { self[.text(field)] }
        set { self[.text(field)] = newValue }
    }

    /// The values at 1...n, as Lua's `#` would see them for a sequence. Linear in the table's
    /// size (a hostile table may have hundreds of thousands of entries).
    public var sequence: [LuaValue] {
        var result: [LuaValue] = []
        // `next` gives the array part first, in order: the common case needs no lookup at all.
        for pair in pairs {
            guard case let .integer(index) = pair.key, index == Int64(result.count + 1), pair.value != .nil else { break }
            result.append(pair.value)
        }
        if result.count == pairs.count { return result }
        var byIndex: [Int64: LuaValue] = [:]
        byIndex.reserveCapacity(pairs.count)
        for pair in pairs {
            if case let .integer(index) = pair.key, index > Int64(result.count), index <= Int64(pairs.count), pair.value != .nil {
                byIndex[index] = pair.value
            }
        }
        while let value = byIndex[Int64(result.count + 1)] { result.append(value) }
        return result
    }

    /// Equal when both hold the same keys with equal values, whatever the order.
    public static func == (lhs: LuaTable, rhs: LuaTable) -> Bool {
        lhs.pairs.count == rhs.pairs.count && lhs.pairs.allSatisfy { rhs[$0.key] == $0.value }
    }
}

/// A function or userdata kept alive in a state's registry for as long as Swift holds this.
///
/// It must be used on the state's own task, and not after the state is gone; it releases its
/// registry slot when dropped.
public final class LuaReference: Equatable {
    private weak var state: LuaState?
    private let slot: Int32
    /// What `tostring` would show without calling metamethods, e.g. `function: 0x55d…`.
    public let summary: String
    /// The Swift object behind a LuaKit userdata, if that is what this is.
    public let object: AnyObject?
    /// The object's class name (a `LuaClass` name), if it is LuaKit userdata.
    public let className: String?
    /// Lua's name of its type: `.userdata` holds threads (coroutines) too, which a message
    /// should call by their name.
    public let luaTypeName: String

    /// Takes the value on the top of the stack (pops it) into the registry.
    init(popping state: LuaState, thread: OpaquePointer, summary: String, object: AnyObject?, className: String?,
         luaTypeName: String = "userdata") {
        self.state = state
        self.summary = summary
        self.object = object
        self.className = className
        self.luaTypeName = luaTypeName
        slot = luaL_ref(thread, sinergi_registryindex())
    }

    deinit {
        if let state { luaL_unref(state.L, sinergi_registryindex(), slot) }
    }

    /// Pushes the referenced value (1 slot; the caller has checked stack space).
    public func push(onto thread: OpaquePointer) {
        lua_rawgeti(thread, sinergi_registryindex(), lua_Integer(slot))
    }

    public static func == (lhs: LuaReference, rhs: LuaReference) -> Bool {
        lhs === rhs || (lhs.state === rhs.state && lhs.summary == rhs.summary)
    }
}
