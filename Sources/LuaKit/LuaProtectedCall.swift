import CLua
import CLuaShim

/// A Lua error whose object is already on the top of the running thread's stack: the host
/// function returns and the trampoline raises that very object (not a copy of its message).
struct LuaErrorOnStack: Error {}

extension LuaStack {
    /// Calls the function under `arguments` arguments on this thread, protected, with Lua code
    /// under the run's memory cap again; on error throws `LuaErrorOnStack`, the error on the top.
    func protectedCall(arguments: Int32, results: Int32) throws {
        let budget = sinergi_budget_slot(L).pointee
        let strict = budget?.pointee.strict ?? 0
        budget?.pointee.strict = 1
        let status = sinergi_pcall(L, arguments, results, 0)
        budget?.pointee.strict = strict
        if status != LUA_OK { throw LuaErrorOnStack() }
    }

    /// Pushes `function(t, k) return t[k] end` (compiled once per state), so that indexing with
    /// metamethods runs as Lua code under a protected call, never inside a Swift frame.
    func pushIndexer() throws {
        if lua_getfield(L, sinergi_registryindex(), SINERGI_INDEXER_KEY) == LUA_TFUNCTION { return }
        pop(1)
        let source = "return function(t, k) return t[k] end"
        guard sinergi_loadtext(L, source, source.utf8.count, "=" + LuaSandbox.preludeChunk) == LUA_OK else { throw LuaErrorOnStack() }
        try protectedCall(arguments: 0, results: 1)
        lua_pushvalue(L, -1)
        lua_setfield(L, sinergi_registryindex(), SINERGI_INDEXER_KEY)
    }
}

