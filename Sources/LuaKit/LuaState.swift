import CLua
import CLuaShim
import Foundation

/// One Lua state, owned by one task at a time, with its own budget and counting allocator.
///
/// The state is entered only through protected calls with a traceback handler (`call`), so a Lua
/// error never unwinds a Swift frame. It is deliberately not `Sendable`: a state belongs to the
/// task that made it (DESIGN.md conventions).
///
/// ```swift
/// let lua = try LuaState()
/// let values = try lua.run("return 1 + 1", chunkName: "x.lua")   // [.integer(2)]
/// ```
public final class LuaState {
    /// The raw state; valid until `deinit`.
    public let L: OpaquePointer
    /// The budget the hook and the allocator read; owned here, freed after `lua_close`.
    let budget: UnsafeMutablePointer<sinergi_budget>
    /// The limits of the run in progress (reported in timeout/memory errors).
    var activeLimits = LuaLimits(timeout: nil, memory: nil)
    /// The deadline timer (`armDeadline`); cancelled, and its queue drained, before the budget
    /// it pokes is freed.
    var deadlineTimer: LazyDeadlineTimer?
    /// How many protected calls are in progress (a host function may call back into Lua).
    var callDepth = 0
    /// Classes whose closures the metatables point at; kept alive with the state.
    var retainedClasses: [any LuaClassRegistration] = []
    /// The classes of the errors host functions raised in this run, by string identity.
    var hostErrors = LuaHostErrors()

    /// Creates a state with the safe standard libraries the sandbox draws from (base, string,
    /// table, math, utf8, coroutine, os); `io`, `debug` and `package` are never opened.
    public init() throws {
        LuaState.installHostEntry
        sinergi_install_poke_handler()
        budget = .allocate(capacity: 1)
        budget.initialize(to: sinergi_budget())
        budget.pointee.reserve = LuaState.makeReserve()
        // The key of the hash that stands in for addresses: random per state, never shown.
        budget.pointee.opaque_key = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        guard let state = lua_newstate(budgetAllocator, budget) else {
            budget.deallocate()
            throw LuaError.memory(location: nil, limit: 0)
        }
        L = state
        sinergi_budget_slot(L).pointee = budget
        lua_atpanic(L) { L in
            let message = L.flatMap { sinergi_tostring($0, -1) }.map { String(cString: $0) } ?? "?"
            fatalError("unprotected Lua error (a LuaKit bug): \(message)")
        }
        let libraries: [(String, lua_CFunction)] = [
            ("_G", luaopen_base), ("string", luaopen_string), ("table", luaopen_table),
            ("math", luaopen_math), ("utf8", luaopen_utf8), ("coroutine", luaopen_coroutine),
            ("os", luaopen_os),
        ]
        for (name, open) in libraries {
            luaL_requiref(L, name, open, 1)
            sinergi_pop(L, 1)
        }
        registerSupportMetatables()
        // Scripts make many short-lived objects (a handle per agreement in a scan); Lua 5.4's
        // generational collector reclaims those young objects cheaply.
        sinergi_gc_generational(L)
    }

    deinit {
        // No poke may reach the budget freed below: cancel, then wait out a handler in flight.
        deadlineTimer?.cancel()
        // A later Ctrl-C must not touch the budget freed below.
        if sigintTarget == budget { sigintTarget = nil }
        sinergi_budget_slot(L).pointee = nil
        lua_close(L)
        // A class's closures often hold the class itself (a method that pushes its own objects)
        // and the host's context: without this, neither would ever be freed.
        for luaClass in retainedClasses { luaClass.stateClosed() }
        free(budget.pointee.reserve)
        budget.deinitialize(count: 1)
        budget.deallocate()
    }

    /// How much the allocator holds back for pushes made while Swift code runs (see `reserve`
    /// in CLuaShim.h). Address space, not resident memory: malloc maps it and nothing touches it.
    static let reserveSize = 4 << 20

    static func makeReserve() -> UnsafeMutableRawPointer? { malloc(reserveSize) }

    /// Bytes the state holds now: Lua's own and the Swift objects Lua holds.
    public var memoryInUse: Int { budget.pointee.used + budget.pointee.host_objects }
    /// The most bytes the state has held.
    public var peakMemory: Int { budget.pointee.peak }

    /// Runs full garbage collections (between runs; never from inside one) until one gives back
    /// less than 64 KB: a cycle returns only half of a thread's call-info list (Lua's
    /// `luaE_shrinkCI`), so the 20 MB a runaway recursion left would otherwise stay, halving per
    /// cycle, and count against the next runs' caps.
    public func collectGarbage() {
        var before = memoryInUse
        for _ in 0..<32 {
            sinergi_gc_collect(L)
            let after = memoryInUse
            if before - after < 64 << 10 { return }
            before = after
        }
    }

    // MARK: - Loading and calling

    /// Compiles a text chunk (binary chunks are refused) and leaves the function on the stack.
    ///
    /// Pushes 1 slot on success, nothing on failure.
    public func load(_ source: [UInt8], chunkName: String) throws {
        // A precompiled chunk is refused as `load` refuses one in a script: forbidden, not a
        // syntax error (Lua's own text-only load would report "attempt to load a binary chunk").
        if source.first == 0x1B { throw LuaError.forbidden(message: "binary chunks is not available in Sinergi scripts", location: nil) }
        try ensureStack(1)
        let status = source.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return sinergi_loadtext(L, "", 0, "@" + chunkName) }
            return sinergi_loadtext(L, base.assumingMemoryBound(to: CChar.self), buffer.count, "@" + chunkName)
        }
        if status == LUA_OK { return }
        defer { sinergi_pop(L, 1) }
        if status == LUA_ERRMEM { throw LuaError.memory(location: nil, limit: activeLimits.memory ?? 0) }
        let text = stringValue(at: -1) ?? "syntax error"
        let (location, message) = LuaLocation.split(text)
        throw LuaError.syntax(message: message, location: location, incompleteInput: text.hasSuffix("<eof>"))
    }

    /// Calls the function below `argumentCount` arguments on the top of the stack, protected,
    /// within `limits`; returns its results as values and leaves the stack as it found it (minus
    /// the function and arguments).
    /// With `keepingResults: false` the results are dropped in Lua, never converted.
    public func call(argumentCount: Int32, limits: LuaLimits, cycles: LuaCyclePolicy = .fail,
                     keepingResults: Bool = true) throws -> [LuaValue] {
        let base = lua_gettop(L) - argumentCount - 1
        defer { lua_settop(L, base) }
        try callOnStack(argumentCount: argumentCount, resultCount: keepingResults ? LUA_MULTRET : 0, limits: limits)
        var results: [LuaValue] = []
        let top = lua_gettop(L)
        if top > base { for index in (base + 1)...top { results.append(try value(at: index, cycles: cycles)) } }
        return results
    }

    /// Like `call`, but leaves `resultCount` results (all with `LUA_MULTRET`) on the stack in
    /// place of the function and arguments. On failure the stack is as before the function.
    public func callOnStack(argumentCount: Int32, resultCount: Int32, limits: LuaLimits) throws {
        let base = lua_gettop(L) - argumentCount - 1
        try ensureStack(2)
        lua_pushnil(L)
        lua_setfield(L, sinergi_registryindex(), SINERGI_TRACEBACK_KEY)
        lua_pushcclosure(L, sinergi_msgh, 0)
        sinergi_insert(L, base + 1)
        // Strict only while Lua runs: the classification below, and the Swift work around this
        // call in a `budgeted` body, must never meet an allocation error (a Lua error raised
        // outside a protected call panics the process).
        let status = withBudget(limits) {
            let outerStrict = budget.pointee.strict
            budget.pointee.strict = 1
            defer { budget.pointee.strict = outerStrict }
            return sinergi_pcall(L, argumentCount, resultCount, base + 1)
        }
        sinergi_remove(L, base + 1)
        // A refusal no retry followed and no later allocation met (the run's last act caught
        // lauxlib's "not enough memory") is a memory kill all the same (see `budgetAllocator`).
        if budget.pointee.refused_size != 0, budget.pointee.kill == Int32(SINERGI_KILL_NONE) {
            budget.pointee.kill = Int32(SINERGI_KILL_MEMORY)
        }
        // A kill is sticky: a run whose stop was swallowed (say, by coroutine.resume returning
        // false as its last act) still failed.
        if status != LUA_OK || budget.pointee.kill != Int32(SINERGI_KILL_NONE) {
            if status == LUA_OK { lua_pushnil(L) }
            let failure = classifyFailure(status: status)
            lua_settop(L, base)
            throw failure
        }
    }

    /// Pops the top value into the registry and returns a reference to it.
    public func popReference() -> LuaReference {
        LuaReference(popping: self, thread: L, summary: stack.summary(at: -1), object: nil, className: nil)
    }

    /// Loads and runs a chunk with `arguments` as `...`, within `limits`.
    public func run(_ source: String, chunkName: String, arguments: [LuaValue] = [],
                    environment: LuaReference? = nil, limits: LuaLimits = .default,
                    cycles: LuaCyclePolicy = .fail, keepingResults: Bool = true) throws -> [LuaValue] {
        try run(bytes: Array(source.utf8), chunkName: chunkName, arguments: arguments, environment: environment,
                limits: limits, cycles: cycles, keepingResults: keepingResults)
    }

    /// Loads and runs a chunk given as bytes (a file's, unchanged: a `"\xe1"` in its source
    /// stays one byte), with `arguments` as `...`, within `limits`.
    public func run(bytes source: [UInt8], chunkName: String, arguments: [LuaValue] = [],
                    environment: LuaReference? = nil, limits: LuaLimits = .default,
                    cycles: LuaCyclePolicy = .fail, keepingResults: Bool = true) throws -> [LuaValue] {
        do {
            try load(source, chunkName: chunkName)
            if let environment { try setEnvironment(environment, ofFunctionAt: -1) }
            try ensureStack(Int32(arguments.count))
            for argument in arguments { try push(argument) }
            return try call(argumentCount: Int32(arguments.count), limits: limits, cycles: cycles,
                            keepingResults: keepingResults)
        } catch let error as LuaError {
            throw error.restoringChunkName(chunkName)
        }
    }

    /// Sets `_ENV` (the first upvalue of a main chunk) of the function at `index`.
    public func setEnvironment(_ environment: LuaReference, ofFunctionAt index: Int32) throws {
        let function = lua_absindex(L, index)
        try ensureStack(1)
        environment.push(onto: L)
        if lua_setupvalue(L, function, 1) == nil { sinergi_pop(L, 1) }
    }

    /// Turns a failed protected call into a `LuaError`; the error object is on the top.
    ///
    /// The class comes from the host's kill flag first, never from the error text.
    private func classifyFailure(status: Int32) -> LuaError {
        let traceback = registryString(SINERGI_TRACEBACK_KEY) ?? ""
        switch budget.pointee.kill {
        case Int32(SINERGI_KILL_TIMEOUT):
            return .timeout(location: killLocation ?? firstScriptLocation(in: traceback), seconds: activeLimits.timeout ?? 0)
        case Int32(SINERGI_KILL_MEMORY):
            return .memory(location: killLocation ?? firstScriptLocation(in: traceback), limit: activeLimits.memory ?? 0)
        case Int32(SINERGI_KILL_INTERRUPT):
            return .interrupted(location: killLocation)
        default:
            break
        }
        if status == LUA_ERRMEM { return .memory(location: nil, limit: activeLimits.memory ?? 0) }
        if let recorded = recordedError(at: -1) { return recorded }
        switch lua_type(L, -1) {
        case LUA_TSTRING, LUA_TNUMBER:
            let (location, message) = LuaLocation.split(stringValue(at: -1) ?? "")
            return .runtime(message: message, location: location ?? firstScriptLocation(in: traceback),
                            traceback: traceback)
        default:
            let typeName = String(cString: lua_typename(L, lua_type(L, -1)))
            return .runtime(message: "error object is a \(typeName) value",
                            location: firstScriptLocation(in: traceback), traceback: traceback)
        }
    }

    /// Where the hook or a resume check noticed the kill.
    private var killLocation: LuaLocation? {
        let text = withUnsafeBytes(of: budget.pointee.where) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return LuaLocation.split(text + ": ").0
    }

    /// The first `chunk:line` of a traceback that is a script's (not C, not the sandbox prelude).
    private func firstScriptLocation(in traceback: String) -> LuaLocation? {
        for line in traceback.split(separator: "\n").dropFirst() {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.hasPrefix("[C]") || entry.hasPrefix(LuaSandbox.preludeChunk) { continue }
            if let location = LuaLocation.split(entry).0 { return location }
        }
        return nil
    }

    private func registryString(_ key: String) -> String? {
        lua_getfield(L, sinergi_registryindex(), key)
        defer { sinergi_pop(L, 1) }
        return stringValue(at: -1)
    }

    /// The main thread's stack, for conversions outside host functions.
    public var stack: LuaStack { LuaStack(L: L, owner: self) }

    /// Checks that `count` more slots fit on the main stack.
    public func ensureStack(_ count: Int32) throws { try stack.ensureStack(count) }

    /// Pushes text onto the main stack (1 slot).
    public func pushString(_ text: String) { stack.pushString(text) }

    /// Pushes a value onto the main stack (1 slot).
    public func push(_ value: LuaValue) throws { try stack.push(value) }

    /// Converts the value at `index` of the main stack.
    public func value(at index: Int32, cycles: LuaCyclePolicy = .fail) throws -> LuaValue {
        try stack.value(at: index, cycles: cycles)
    }

    /// The string at `index` without converting it in place (numbers are formatted on a copy).
    public func stringValue(at index: Int32) -> String? { stack.stringValue(at: index) }
}

extension LuaStack {
    /// The string at `index` without converting it in place (numbers are formatted on a copy).
    public func stringValue(at index: Int32) -> String? {
        switch lua_type(L, index) {
        case LUA_TSTRING:
            var length = 0
            guard let pointer = lua_tolstring(L, index, &length) else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return String(lua_tointegerx(L, index, nil)) }
            return LuaValue.formatNumber(lua_tonumberx(L, index, nil))
        default:
            return nil
        }
    }
}
