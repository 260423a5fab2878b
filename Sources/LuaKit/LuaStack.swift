import CLua
import CLuaShim

/// What `value(at:)` does when a table contains itself (directly or through other tables).
public enum LuaCyclePolicy: Sendable {
    /// Throw a runtime error naming the cycle.
    case fail
    /// Put the string `<cycle>` where the back-reference was (used for printing).
    case mark
}

/// The stack of one thread of a state (the main thread or a coroutine running a host function).
///
/// Conversions work on the thread that is running, since a host function called from a
/// coroutine must push onto that coroutine's stack, not the main one.
public struct LuaStack {
    /// The running thread.
    public let L: OpaquePointer
    /// The state the thread belongs to (for registry references).
    public unowned(unsafe) let owner: LuaState

    /// Deepest table nesting converted to Swift; deeper tables are an error, not a crash.
    static let maximumTableDepth = 100

    /// Pops `count` values.
    public func pop(_ count: Int32) { sinergi_pop(L, count) }

    /// Checks that `count` more slots fit on the stack.
    public func ensureStack(_ count: Int32) throws {
        if lua_checkstack(L, count) == 0 {
            throw LuaError.runtime(message: "stack overflow (too many nested values)", location: nil, traceback: "")
        }
    }

    /// Pushes a Swift value. Uses 1 slot (plus 2 transient slots per nested table level).
    public func push(_ value: LuaValue) throws {
        try ensureStack(3)
        switch value {
        case .nil: lua_pushnil(L)
        case let .boolean(flag): lua_pushboolean(L, flag ? 1 : 0)
        case let .integer(number): lua_pushinteger(L, lua_Integer(number))
        case let .number(number): lua_pushnumber(L, number)
        case let .string(bytes): pushBytes(bytes)
        case let .table(table):
            lua_createtable(L, 0, Int32(min(table.pairs.count, 1 << 16)))
            for (key, element) in table.pairs where key != .nil {
                try push(key)
                try push(element)
                lua_rawset(L, -3)
            }
        case let .function(reference), let .userdata(reference):
            reference.push(onto: L)
        }
    }

    /// Pushes bytes as a Lua string (NUL-safe). Uses 1 slot.
    public func pushBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { lua_pushlstring(L, $0, buffer.count) }
            } ?? lua_pushlstring(L, "", 0)
        }
    }

    /// Pushes Swift text as a Lua string. Uses 1 slot.
    public func pushString(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { lua_pushlstring(L, $0, buffer.count) }
            } ?? lua_pushlstring(L, "", 0)
        }
    }

    /// Converts the value at `index` to Swift, tables deeply. Leaves the stack as it was.
    ///
    /// What Lua shares stays shared (a string or table met twice is converted once; Swift's
    /// copy-on-write shares the storage), so a table of 400,000 references to one string, or a
    /// graph of shared nodes, costs what it costs in Lua. What the conversion builds is charged
    /// against the run's memory cap as it goes.
    public func value(at index: Int32, cycles: LuaCyclePolicy = .fail) throws -> LuaValue {
        var converter = LuaConverter(stack: self, cycles: cycles)
        return try converter.value(at: lua_absindex(L, index), depth: 0)
    }

    /// `type: 0x…` for a value, without calling `__tostring` or `__name` tricks of scripts; the
    /// number is the opaque one `tostring` shows, never the address.
    func summary(at index: Int32) -> String {
        let typeName = String(cString: lua_typename(L, lua_type(L, index)))
        let digits = String(sinergi_opaque_id(L, index), radix: 16)
        let address = String(repeating: "0", count: max(0, 14 - digits.count)) + digits
        let (object, className) = hostObject(at: index)
        if let className, object != nil { return "\(className): 0x\(address)" }
        return "\(typeName): 0x\(address)"
    }
}
