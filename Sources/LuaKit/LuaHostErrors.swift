import CLua
import CLuaShim

/// Errors the host raises reach scripts as strings, as in stock Lua (`pcall` returns
/// `"x.lua:3: message"`, and `err:match(…)` works), while the host keeps their class.
///
/// The class is recorded against the identity of the string object raised — never its text —
/// so a script that catches a host error and re-raises it (`error(e, 0)`) keeps the class, and a
/// script that raises the same text itself (`error("x.lua:3: message", 0)`) is `runtime`: it made
/// a different string. Strings longer than 40 bytes are separate objects even with equal text
/// (Lua interns only short ones), so a recorded message is made longer than that (padded with
/// spaces, rarely needed: positions and the domain's sentences are long); the recorded strings are
/// anchored in the registry, so no identity is reused while it is recorded. `runtime` errors
/// need no record (it is the class of any string error) and keep stock Lua's exact text.
struct LuaHostErrors {
    /// The most host errors one run keeps the class of (the oldest are forgotten).
    static let capacity = 64
    /// Lua's LUAI_MAXSHORTLEN: longer strings are never interned.
    static let shortStringLength = 40

    private var recorded: [(identity: UnsafeRawPointer, reference: LuaReference, error: LuaError)] = []

    /// Forgets every recorded error (a new run starts).
    mutating func removeAll() { recorded.removeAll() }

    mutating func record(_ error: LuaError, identity: UnsafeRawPointer, reference: LuaReference) {
        if recorded.count >= LuaHostErrors.capacity { recorded.removeFirst() }
        recorded.append((identity, reference, error))
    }

    func error(identity: UnsafeRawPointer) -> LuaError? {
        recorded.last { $0.identity == identity }?.error
    }

    /// The text scripts see: `chunk:line: message`, padded past the short-string length.
    static func text(of error: LuaError) -> String {
        var text = error.description
        let short = shortStringLength + 1 - text.utf8.count
        if short > 0 { text += String(repeating: " ", count: short) }
        return text
    }
}

extension LuaState {
    /// Pushes `error` as its text on `thread` and records its class against that string (1 slot).
    func pushRecordedError(_ error: LuaError, on thread: OpaquePointer) {
        let stack = LuaStack(L: thread, owner: self)
        switch error {
        case .runtime, .badArgument:
            stack.pushString(error.description)
            return
        default:
            stack.pushString(LuaHostErrors.text(of: error))
        }
        guard let identity = lua_topointer(thread, -1) else { return }
        lua_pushvalue(thread, -1)
        let reference = LuaReference(popping: self, thread: thread, summary: "error", object: nil, className: nil)
        hostErrors.record(error, identity: identity, reference: reference)
    }

    /// The host error the string at `index` is, if it is one the host raised (by identity).
    func recordedError(at index: Int32) -> LuaError? {
        guard lua_type(L, index) == LUA_TSTRING, let identity = lua_topointer(L, index) else { return nil }
        return hostErrors.error(identity: identity)
    }
}
