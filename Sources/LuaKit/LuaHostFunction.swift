import CLua
import CLuaShim

/// The body of a Swift function callable from Lua: reads its arguments from `call`, pushes its
/// results, and returns how many it pushed. Throwing raises a Lua error in the caller, after
/// this frame has returned.
public typealias LuaHostBody = (LuaCall) throws -> Int32

/// A Swift function boxed for Lua. Upvalue 1 of its trampoline closure holds a pointer to it.
final class HostFunction {
    /// The name used in Lua-style argument errors (`bad argument #1 to 'get' …`).
    let name: String
    let body: LuaHostBody
    unowned(unsafe) let owner: LuaState

    init(name: String, owner: LuaState, body: @escaping LuaHostBody) {
        self.name = name
        self.owner = owner
        self.body = body
    }
}

/// The metatable names of LuaKit's own userdata.
enum LuaKitMetatable {
    static let function = "sinergi.function"
    static let classMarker = "__sinergi_class"
}

/// The Swift half of every trampoline call.
///
/// Runs the boxed Swift function with allocations relaxed (see `budgetAllocator`), and on a
/// thrown error pushes it as an error string and returns -1 so the C trampoline raises it.
private let hostEntry: sinergi_host_entry = { thread, box in
    // Unretained and guaranteed: upvalue 2 of the running closure keeps the function alive, so
    // the call needs no reference counting.
    Unmanaged<HostFunction>.fromOpaque(box.unsafelyUnwrapped)._withUnsafeGuaranteedRef { function in
        let thread = thread.unsafelyUnwrapped
        let budget = sinergi_budget_slot(thread).pointee.unsafelyUnwrapped
        let strict = budget.pointee.strict
        let transient = budget.pointee.host_transient
        budget.pointee.strict = 0
        defer {
            budget.pointee.strict = strict
            // What the call built is freed when it returns (results are in Lua by now).
            budget.pointee.host_transient = transient
        }
        do {
            return try function.body(LuaCall(L: thread, function: function))
        } catch is LuaErrorOnStack {
            return -1
        } catch {
            LuaStack(L: thread, owner: function.owner).pushHostError(error)
            return -1
        }
    }
}

/// The block of a LuaKit userdata: the retained object and what it costs against the cap.
struct BoxedObject {
    var object: UnsafeMutableRawPointer?
    var footprint: Int
}

/// Releases the Swift object a LuaKit userdata points at (its `__gc`). Never raises.
let releaseBoxedObject: lua_CFunction = { thread in
    guard let thread, let box = lua_touserdata(thread, 1)?.assumingMemoryBound(to: BoxedObject.self) else { return 0 }
    if let pointer = box.pointee.object {
        box.pointee.object = nil
        LuaHostMemory.releaseObject(box.pointee.footprint, on: thread)
        Unmanaged<AnyObject>.fromOpaque(pointer).release()
    }
    return 0
}

extension LuaState {
    /// Installs the trampoline's Swift entry once per process.
    static let installHostEntry: Void = sinergi_set_host_entry(hostEntry)

    /// The metatable of boxed functions; called once from `init`.
    func registerSupportMetatables() {
        luaL_newmetatable(L, LuaKitMetatable.function)
        lua_pushcclosure(L, releaseBoxedObject, 0)
        lua_setfield(L, -2, "__gc")
        pushString("locked")
        lua_setfield(L, -2, "__metatable")
        sinergi_pop(L, 1)
    }

    /// Pushes a Swift function as a Lua function (1 slot).
    public func pushFunction(name: String, _ body: @escaping LuaHostBody) {
        stack.pushFunction(name: name, owner: self, body)
    }

    /// A Swift function as a value (for module tables and sandbox globals).
    public func functionValue(name: String, _ body: @escaping LuaHostBody) -> LuaValue {
        pushFunction(name: name, body)
        return .function(popReference())
    }

    /// A module table built from one list of name/function pairs (like `luaL_Reg`): each
    /// function reports its own name in argument errors.
    public func module(_ functions: [(String, LuaHostBody)]) -> LuaValue {
        .table(LuaTable(pairs: functions.map { (key: .text($0.0), value: functionValue(name: $0.0, $0.1)) }))
    }

    /// Sets global `name` of the real global table (not a sandbox) to a Swift function.
    public func setGlobalFunction(_ name: String, _ body: @escaping LuaHostBody) {
        pushFunction(name: name, body)
        lua_setglobal(L, name)
    }

}

extension LuaStack {
    /// Pushes a Swift function closure (1 slot, 2 transient): upvalue 1 is the function as a light
    /// userdata (one load on every call), upvalue 2 the full userdata that owns it (`__gc`).
    ///
    /// With `upvalues` > 0, that many values on the top of the stack become the closure's
    /// upvalues 3… (the call reads them with `LuaCall.upvalueBytes`); they are popped.
    func pushFunction(name: String, owner: LuaState, upvalues: Int32 = 0, _ body: @escaping LuaHostBody) {
        let function = HostFunction(name: name, owner: owner, body: body)
        lua_pushlightuserdata(L, Unmanaged.passUnretained(function).toOpaque())
        pushBoxed(function, metatable: LuaKitMetatable.function)
        if upvalues > 0 { lua_rotate(L, -(upvalues + 2), 2) }
        sinergi_pushtrampoline(L, upvalues)
    }

    /// Pushes a full userdata holding a retained pointer to `object`, with the named metatable.
    func pushBoxed(_ object: AnyObject, metatable: String) { LuaStack.pushBoxed(object, metatable: metatable, on: L) }

    static func pushBoxed(_ object: AnyObject, metatable: String, on L: OpaquePointer) {
        newBox(object, on: L)
        luaL_setmetatable(L, metatable)
    }

    /// Pushes a full userdata that retains `object` and counts it against the run's cap (1 slot).
    static func newBox(_ object: AnyObject, on L: OpaquePointer) {
        newBox(object, footprint: LuaHostMemory.footprint(of: object), on: L)
    }

    /// The same with the footprint known (a class knows whether its objects declare one).
    static func newBox(_ object: AnyObject, footprint: Int, on L: OpaquePointer) {
        // lua_newuserdatauv raises only when Lua cannot allocate at all (the allocator never
        // refuses while Swift runs); the block is written before anything else can run.
        guard let raw = sinergi_newuserdata(L, MemoryLayout<BoxedObject>.size) else { return }
        raw.assumingMemoryBound(to: BoxedObject.self).initialize(
            to: BoxedObject(object: Unmanaged.passRetained(object).toOpaque(), footprint: footprint))
        LuaHostMemory.retainObject(footprint, on: L)
    }

    /// The object boxed in the userdata at `index` if its metatable is `metatable`.
    func boxedObject(at index: Int32, metatable: String) -> AnyObject? {
        LuaStack.boxedObject(at: index, metatable: metatable, on: L)
    }

    static func boxedObject(at index: Int32, metatable: String, on L: OpaquePointer) -> AnyObject? {
        guard let raw = luaL_testudata(L, index, metatable) else { return nil }
        guard let pointer = raw.assumingMemoryBound(to: BoxedObject.self).pointee.object else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// The Swift object and class name of LuaKit userdata at `index` (nil, nil for other values).
    func hostObject(at index: Int32) -> (AnyObject?, String?) {
        guard lua_type(L, index) == LUA_TUSERDATA, lua_getmetatable(L, index) != 0 else { return (nil, nil) }
        defer { sinergi_pop(L, 1) }
        pushString(LuaKitMetatable.classMarker)
        lua_rawget(L, -2)
        defer { sinergi_pop(L, 1) }
        guard let className = stringValue(at: -1),
              let raw = lua_touserdata(L, index)?.assumingMemoryBound(to: BoxedObject.self),
              let pointer = raw.pointee.object else { return (nil, nil) }
        return (Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue(), className)
    }

    /// Pushes `error` as the error string scripts see, as stock Lua's `luaL_error` would
    /// (`chunk:line: message`), and records its class against that very string object (1 slot).
    func pushHostError(_ error: any Error) {
        let location = callerLocation()
        let raised: LuaError
        switch error {
        case let error as LuaError:
            switch error {
            case let .forbidden(message, nil): raised = .forbidden(message: message, location: location)
            case .badArgument: raised = .runtime(message: error.message, location: location, traceback: "")
            case let .runtime(message, nil, traceback): raised = .runtime(message: message, location: location, traceback: traceback)
            case let .callback(host, nil): raised = .callback(host, location: location)
            case let .memory(nil, limit): raised = .memory(location: location, limit: limit)
            default: raised = error
            }
        default:
            raised = .callback(HostError(error, message: String(describing: error)), location: location)
        }
        owner.pushRecordedError(raised, on: L)
    }

    /// Where stock Lua's `luaL_where(L, 1)` points: the function that called the host function,
    /// skipping the sandbox's own wrappers — the prelude's, and CLuaShim's gate of `os.time` and
    /// `os.date`, which calls a host function before stock's; nil when that caller is C (e.g. `pcall`).
    public func callerLocation() -> LuaLocation? {
        var record = lua_Debug()
        var level: Int32 = 1
        while lua_getstack(L, level, &record) != 0 {
            guard lua_checkstack(L, 1) != 0, lua_getinfo(L, "Slf", &record) != 0 else { return nil }
            let wrapper = lua_tocfunction(L, -1).map { unsafeBitCast($0, to: UnsafeRawPointer.self) }
            sinergi_pop(L, 1)
            if wrapper == unsafeBitCast(sinergi_os_gated as lua_CFunction, to: UnsafeRawPointer.self) { level += 1; continue }
            let source = withUnsafeBytes(of: record.short_src) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if source == LuaSandbox.preludeChunk { level += 1; continue }
            return record.currentline > 0 ? LuaLocation(chunk: source, line: Int(record.currentline)) : nil
        }
        return nil
    }
}
