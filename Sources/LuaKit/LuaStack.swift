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
    public func value(at index: Int32, cycles: LuaCyclePolicy = .fail) throws -> LuaValue {
        var visiting = Set<UnsafeRawPointer>()
        return try value(at: lua_absindex(L, index), cycles: cycles, visiting: &visiting, depth: 0)
    }

    private func value(at index: Int32, cycles: LuaCyclePolicy, visiting: inout Set<UnsafeRawPointer>,
                       depth: Int) throws -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nil
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(Int64(lua_tointegerx(L, index, nil))) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            guard let pointer = lua_tolstring(L, index, &length) else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: pointer, count: length)))
        case LUA_TTABLE:
            return try tableValue(at: index, cycles: cycles, visiting: &visiting, depth: depth)
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
            return .function(LuaReference(popping: owner, thread: L, summary: summary(at: index), object: nil, className: nil))
        default:
            let (object, className) = hostObject(at: index)
            lua_pushvalue(L, index)
            return .userdata(LuaReference(popping: owner, thread: L, summary: summary(at: index), object: object,
                                          className: className))
        }
    }

    private func tableValue(at index: Int32, cycles: LuaCyclePolicy, visiting: inout Set<UnsafeRawPointer>,
                            depth: Int) throws -> LuaValue {
        guard let identity = lua_topointer(L, index) else { return .table(LuaTable()) }
        if visiting.contains(identity) {
            if cycles == .mark { return .text("<cycle>") }
            throw LuaError.runtime(message: "cannot convert a table that contains itself", location: nil, traceback: "")
        }
        guard depth < LuaStack.maximumTableDepth else {
            throw LuaError.runtime(message: "table nested deeper than \(LuaStack.maximumTableDepth) levels",
                                   location: nil, traceback: "")
        }
        try ensureStack(3)
        visiting.insert(identity)
        defer { visiting.remove(identity) }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var table = LuaTable()
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let key = try value(at: lua_gettop(L) - 1, cycles: cycles, visiting: &visiting, depth: depth + 1)
            let element = try value(at: lua_gettop(L), cycles: cycles, visiting: &visiting, depth: depth + 1)
            table.pairs.append((key: key, value: element))
            sinergi_pop(L, 1)
        }
        return .table(table)
    }

    /// `type: 0x…` for a value, without calling `__tostring` or `__name` tricks of scripts.
    func summary(at index: Int32) -> String {
        let typeName = String(cString: lua_typename(L, lua_type(L, index)))
        let address = lua_topointer(L, index).map { String(UInt(bitPattern: $0), radix: 16) } ?? "0"
        let (object, className) = hostObject(at: index)
        if let className, object != nil { return "\(className): 0x\(address)" }
        return "\(typeName): 0x\(address)"
    }
}
