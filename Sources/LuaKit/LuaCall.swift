import CLua
import CLuaShim

/// The arguments and results of one call of a Swift host function.
///
/// Argument readers check types and throw `LuaError.badArgument` with Lua's own wording
/// (`bad argument #1 to 'get' (string expected, got nil)`); result writers push onto the
/// calling thread's stack. Each push uses one slot; Lua guarantees `LUA_MINSTACK` (20) free
/// slots on entry, and `ensureStack` is needed beyond that.
public struct LuaCall {
    /// The running thread (the main thread or a coroutine).
    public let L: OpaquePointer
    unowned(unsafe) let function: HostFunction

    /// The name the function was registered under.
    public var functionName: String { function.name }
    /// The state the call runs in.
    public var state: LuaState { function.owner }
    /// Stack access for conversions on the running thread.
    public var stack: LuaStack { LuaStack(L: L, owner: function.owner) }
    /// How many arguments were passed.
    @inlinable
    public var argumentCount: Int32 { lua_gettop(L) }

    // MARK: - Reading arguments

    /// The Lua type name of argument `position` (`no value` when absent), as error messages say it.
    public func typeName(_ position: Int32) -> String {
        let type = lua_type(L, position)
        if type == LUA_TNONE { return "no value" }
        let (_, className) = stack.hostObject(at: position)
        return className ?? String(cString: lua_typename(L, type))
    }

    /// The error for argument `position` not being `expected`.
    public func badArgument(_ position: Int32, expected: String) -> LuaError {
        .badArgument(function: function.name, position: Int(position), expected: expected, got: typeName(position))
    }

    /// True when the argument is absent or nil.
    public func isNil(_ position: Int32) -> Bool { sinergi_isnoneornil(L, position) != 0 }

    /// An integer argument (floats with an exact integer value are accepted, as in Lua).
    /// Inlinable, with its error path out of line: a host function's own module then reads the
    /// argument with one call into Lua (`sinergi bench lua` measures the difference).
    @inlinable
    public func integer(_ position: Int32) throws -> Int64 {
        var isNumber: Int32 = 0
        let value = lua_tointegerx(L, position, &isNumber)
        if isNumber != 0 { return Int64(value) }
        throw notAnInteger(position)
    }

    @usableFromInline
    func notAnInteger(_ position: Int32) -> LuaError {
        if lua_type(L, position) == LUA_TNUMBER {
            return LuaError.runtime(message: "bad argument #\(position) to '\(function.name)' (number has no integer representation)",
                                    location: nil, traceback: "")
        }
        return badArgument(position, expected: "number")
    }

    /// A number argument (strings that look like numbers are accepted, as in Lua).
    @inlinable
    public func number(_ position: Int32) throws -> Double {
        var isNumber: Int32 = 0
        let value = lua_tonumberx(L, position, &isNumber)
        if isNumber != 0 { return value }
        throw badArgument(position, expected: "number")
    }

    /// A string argument as bytes (numbers are formatted, as in Lua).
    public func bytes(_ position: Int32) throws -> [UInt8] {
        let type = lua_type(L, position)
        guard type == LUA_TSTRING || type == LUA_TNUMBER else { throw badArgument(position, expected: "string") }
        if type == LUA_TNUMBER { return Array((stack.stringValue(at: position) ?? "").utf8) }
        var length = 0
        guard let pointer = lua_tolstring(L, position, &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// A string argument as text.
    public func string(_ position: Int32) throws -> String {
        let type = lua_type(L, position)
        guard type == LUA_TSTRING || type == LUA_TNUMBER else { throw badArgument(position, expected: "string") }
        return stack.stringValue(at: position) ?? ""
    }

    /// A string argument, or nil when absent.
    public func optionalString(_ position: Int32) throws -> String? {
        isNil(position) ? nil : try string(position)
    }

    /// An integer argument, or nil when absent.
    public func optionalInteger(_ position: Int32) throws -> Int64? {
        isNil(position) ? nil : try integer(position)
    }

    /// Lua truthiness of an argument (absent and nil and false are false).
    public func truthy(_ position: Int32) -> Bool { lua_toboolean(L, position) != 0 }

    /// The bytes of string upvalue `index` (1 is the first extra upvalue given to `pushFunction`);
    /// valid while the closure lives, since Lua strings do not move. Empty if it is not a string.
    public func upvalueBytes(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        var length = 0
        guard let pointer = lua_tolstring(L, sinergi_upvalueindex(2 + index), &length) else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// A table argument, converted deeply.
    public func table(_ position: Int32) throws -> LuaTable {
        guard lua_type(L, position) == LUA_TTABLE else { throw badArgument(position, expected: "table") }
        guard case let .table(table) = try stack.value(at: position) else { return LuaTable() }
        return table
    }

    /// A table argument, or an empty table when absent.
    public func optionalTable(_ position: Int32) throws -> LuaTable {
        isNil(position) ? LuaTable() : try table(position)
    }

    /// Any argument, converted.
    public func value(_ position: Int32) throws -> LuaValue {
        try stack.value(at: position)
    }

    /// The Swift object of a `LuaClass` userdata argument.
    public func object<Object: AnyObject>(_ position: Int32, of luaClass: LuaClass<Object>) throws -> Object {
        guard let object = luaClass.boxedObject(at: position, on: L) as? Object else {
            throw badArgument(position, expected: luaClass.name)
        }
        return object
    }

    // MARK: - Pushing results

    /// Pushes any value (1 slot).
    public func push(_ value: LuaValue) throws { try stack.push(value) }
    /// Pushes an integer (1 slot).
    @inline(__always)
    @inlinable
    public func push(integer: Int64) { lua_pushinteger(L, lua_Integer(integer)) }
    /// Pushes a float (1 slot).
    @inlinable
    public func push(number: Double) { lua_pushnumber(L, number) }
    /// Pushes text (1 slot).
    public func push(string: String) { stack.pushString(string) }
    /// Pushes a boolean (1 slot).
    @inlinable
    public func push(boolean: Bool) { lua_pushboolean(L, boolean ? 1 : 0) }
    /// Pushes nil (1 slot).
    @inlinable
    public func pushNil() { lua_pushnil(L) }
    /// A Swift object as a userdata value, to place inside tables built as `LuaValue`s.
    public func value<Object: AnyObject>(of object: Object, as luaClass: LuaClass<Object>) -> LuaValue {
        luaClass.push(object, on: L)
        return .userdata(LuaReference(popping: state, thread: L, summary: luaClass.name, object: object, className: luaClass.name))
    }

    /// Pushes a Swift object as userdata of `luaClass` (1 slot).
    public func push<Object: AnyObject>(_ object: Object, as luaClass: LuaClass<Object>) {
        luaClass.push(object, on: L)
    }
}
