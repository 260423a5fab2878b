import CLua
import CLuaShim

/// Converts Lua values to `LuaValue`s, sharing what Lua shares and charging what it builds.
///
/// One converter serves one `LuaStack.value(at:)` call. Strings and tables are remembered by
/// identity (`lua_topointer`): the values being converted stay reachable from the root on the
/// stack and nothing runs meanwhile (raw access only, no metamethods), so no identity is reused
/// before the conversion ends.
struct LuaConverter {
    let stack: LuaStack
    let cycles: LuaCyclePolicy
    private var visiting = Set<UnsafeRawPointer>()
    private var tables: [UnsafeRawPointer: LuaTable] = [:]
    private var strings: [UnsafeRawPointer: [UInt8]] = [:]
    /// Bytes built and not yet charged; charged in steps so the cap is checked often but cheaply.
    private var uncharged = 0

    /// Strings shorter than this are copied each time (remembering them costs more than it saves).
    static let sharedStringLength = 64
    /// Charge the cap every this many bytes built.
    static let chargeStep = 64 << 10

    init(stack: LuaStack, cycles: LuaCyclePolicy) {
        self.stack = stack
        self.cycles = cycles
    }

    var L: OpaquePointer { stack.L }

    mutating func value(at index: Int32, depth: Int) throws -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nil
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(Int64(lua_tointegerx(L, index, nil))) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            return .string(try string(at: index))
        case LUA_TTABLE:
            return try table(at: index, depth: depth)
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
            return .function(LuaReference(popping: stack.owner, thread: L, summary: stack.summary(at: index), object: nil,
                                          className: nil))
        default:
            let (object, className) = stack.hostObject(at: index)
            let typeName = String(cString: lua_typename(L, lua_type(L, index)))
            lua_pushvalue(L, index)
            return .userdata(LuaReference(popping: stack.owner, thread: L, summary: stack.summary(at: index), object: object,
                                          className: className, luaTypeName: typeName))
        }
    }

    private mutating func string(at index: Int32) throws -> [UInt8] {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return [] }
        if length < LuaConverter.sharedStringLength {
            return Array(UnsafeRawBufferPointer(start: pointer, count: length))
        }
        let identity = UnsafeRawPointer(pointer)
        if let known = strings[identity] { return known }
        try charge(length + 32)
        let bytes = Array(UnsafeRawBufferPointer(start: pointer, count: length))
        strings[identity] = bytes
        return bytes
    }

    private mutating func table(at index: Int32, depth: Int) throws -> LuaValue {
        guard let identity = lua_topointer(L, index) else { return .table(LuaTable()) }
        if let known = tables[identity] { return .table(known) }
        if visiting.contains(identity) {
            if cycles == .mark { return .text("<cycle>") }
            throw LuaError.runtime(message: "cannot convert a table that contains itself", location: nil, traceback: "")
        }
        guard depth < LuaStack.maximumTableDepth else {
            throw LuaError.runtime(message: "table nested deeper than \(LuaStack.maximumTableDepth) levels",
                                   location: nil, traceback: "")
        }
        try stack.ensureStack(3)
        visiting.insert(identity)
        defer { visiting.remove(identity) }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var table = LuaTable()
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let key = try value(at: lua_gettop(L) - 1, depth: depth + 1)
            let element = try value(at: lua_gettop(L), depth: depth + 1)
            table.pairs.append((key: key, value: element))
            try charge(LuaConverter.pairSize)
            sinergi_pop(L, 1)
        }
        // The root is never met again but through a cycle (`visiting` catches it): only nested
        // tables are remembered, so a flat argument table builds no dictionary.
        if depth > 0 { tables[identity] = table }
        return .table(table)
    }

    /// What one pair costs in Swift: two values plus the array's slack and the memo entries.
    static let pairSize = 2 * MemoryLayout<LuaValue>.stride + 32

    /// Charges what was built as the host call's transient memory (a conversion after a run
    /// is charged the same way; the next run starts from zero).
    private mutating func charge(_ bytes: Int) throws {
        uncharged += bytes
        guard uncharged >= LuaConverter.chargeStep else { return }
        defer { uncharged = 0 }
        do {
            try LuaHostMemory.chargeTransient(uncharged, on: L)
        } catch {
            throw LuaError.memory(location: nil, limit: LuaHostMemory.limit(on: L))
        }
    }
}
