import Testing
@testable import LuaKit

/// Swift functions and objects seen from Lua: the trampoline, argument errors, userdata lifetime.
@Suite(.serialized) struct LuaHostFunctionTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused by the host" }
    }

    final class Counter {
        var value: Int64 = 0
        nonisolated(unsafe) static var alive = 0
        init() { Counter.alive += 1 }
        deinit { Counter.alive -= 1 }
    }

    @Test func argumentErrorsReadLikeLuasOwn() throws {
        let state = try LuaState()
        state.setGlobalFunction("get") { call in
            call.push(string: try call.string(1))
            return 1
        }
        #expect(throws: LuaError.runtime(message: "bad argument #1 to 'get' (string expected, got nil)",
                                         location: LuaLocation(chunk: "args.lua", line: 2), traceback: "")) {
            _ = try state.run("local x = 1\nreturn get(nil)", chunkName: "args.lua")
        }
        #expect(throws: LuaError.runtime(message: "bad argument #1 to 'get' (string expected, got no value)",
                                         location: LuaLocation(chunk: "args.lua", line: 1), traceback: "")) {
            _ = try state.run("return get()", chunkName: "args.lua")
        }
    }

    @Test func swiftErrorsBecomeLuaStringsThatPcallCanCatchAndTheHostCanClassify() throws {
        let state = try LuaState()
        state.setGlobalFunction("refuse") { _ in throw Refused() }
        // As stock Lua's luaL_error: a string, positioned at the caller — none when that is pcall.
        let caught = try state.run("""
            local ok, e = pcall(refuse)
            local ok2, e2 = pcall(function() refuse() end)
            return ok, type(e), e:match("^refused by the host"), e2:match("^p.lua:2: refused by the host")
            """, chunkName: "p.lua")
        #expect(caught == [.boolean(false), .text("string"), .text("refused by the host"), .text("p.lua:2: refused by the host")])
        do {
            _ = try state.run("\n\nrefuse()", chunkName: "uncaught.lua")
            Issue.record("no error")
        } catch let LuaError.callback(host, location) {
            #expect(host.error is Refused)
            #expect(location == LuaLocation(chunk: "uncaught.lua", line: 3))
        }
    }

    /// The class belongs to the string the host raised, not to its text: re-raising a caught
    /// host error keeps its class; raising the same text as one's own is `runtime`.
    @Test func aHostErrorsClassCanBeNeitherForgedNorLost() throws {
        let state = try LuaState()
        state.setGlobalFunction("refuse") { _ in throw Refused() }
        do {
            _ = try state.run("local ok, e = pcall(function() refuse() end) error(e, 0)", chunkName: "again.lua")
            Issue.record("no error")
        } catch let LuaError.callback(host, location) {
            #expect(host.error is Refused)
            #expect(location == LuaLocation(chunk: "again.lua", line: 1))
        }
        do {
            _ = try state.run("""
                local ok, e = pcall(function() refuse() end)
                error("forged.lua:1: refused by the host" .. (" "):rep(#e - 34), 0)
                """, chunkName: "forged.lua")
            Issue.record("no error")
        } catch let error as LuaError {
            guard case .runtime = error else { Issue.record("forged class: \(error)"); return }
        }
    }

    @Test func trampolineSurvivesManyErrorsAndStaysUsable() throws {
        let state = try LuaState()
        state.setGlobalFunction("fail") { call in throw Refused() }
        state.setGlobalFunction("double") { call in
            call.push(integer: try call.integer(1) * 2)
            return 1
        }
        let results = try state.run("""
            local failures = 0
            for i = 1, 10000 do if not pcall(fail, i) then failures = failures + 1 end end
            return failures, double(21)
            """, chunkName: "many.lua")
        #expect(results == [.integer(10000), .integer(42)])
    }

    @Test func hostFunctionsWorkFromCoroutines() throws {
        let state = try LuaState()
        state.setGlobalFunction("double") { call in
            call.push(integer: try call.integer(1) * 2)
            return 1
        }
        let results = try state.run("""
            local co = coroutine.wrap(function(x) local y = coroutine.yield(double(x)); return double(y) end)
            return co(2), co(5)
            """, chunkName: "co.lua")
        #expect(results == [.integer(4), .integer(10)])
    }

    @Test func userdataExposesFieldsAndMethodsAndIsReleasedByGC() throws {
        let counters = LuaClass<Counter>(name: "counter")
        counters.field("value") { counter, call in call.push(integer: counter.value) }
        counters.method("add") { counter, call in
            counter.value += try call.integer(2)
            return 0
        }
        do {
            let state = try LuaState()
            state.register(counters)
            state.setGlobalFunction("new_counter") { call in
                call.push(Counter(), as: counters)
                return 1
            }
            let results = try state.run("""
                local c = new_counter()
                c:add(5); c:add(2)
                local ok, err = pcall(function() c.value = 1 end)
                return c.value, ok, tostring(err):match("read%-only") ~= nil
                """, chunkName: "ud.lua")
            #expect(results == [.integer(7), .boolean(false), .boolean(true)])
            state.collectGarbage()
            #expect(Counter.alive == 0)
            #expect(throws: LuaError.self) {
                _ = try state.run("local c = new_counter(); return c.add(42, 1)", chunkName: "self.lua")
            }
        }
        #expect(Counter.alive == 0)
    }

    @Test func objectsHeldByLuaStayAliveUntilTheStateCloses() throws {
        let counters = LuaClass<Counter>(name: "counter")
        var state: LuaState? = try LuaState()
        state?.register(counters)
        state?.setGlobalFunction("new_counter") { call in
            call.push(Counter(), as: counters)
            return 1
        }
        _ = try state?.run("kept = new_counter()", chunkName: "keep.lua")
        state?.collectGarbage()
        #expect(Counter.alive == 1)
        state = nil
        #expect(Counter.alive == 0)
    }

    @Test func oneClassServesSeveralStates() throws {
        let counters = LuaClass<Counter>(name: "counter")
        counters.field("value") { counter, call in call.push(integer: counter.value) }
        counters.method("add") { counter, call in
            counter.value += try call.integer(2)
            return 0
        }
        let first = try LuaState(), second = try LuaState()
        for state in [first, second] {
            state.register(counters)
            state.setGlobalFunction("new_counter") { call in
                call.push(Counter(), as: counters)
                return 1
            }
        }
        let source = "local c = new_counter(); c:add(2); c:add(3); return c.value"
        #expect(try first.run(source, chunkName: "a.lua") == [.integer(5)])
        #expect(try second.run(source, chunkName: "b.lua") == [.integer(5)])
        // An object of one state is not mistaken for another class's in the other.
        let others = LuaClass<Counter>(name: "other")
        first.register(others)
        first.setGlobalFunction("wants_other") { call in
            _ = try call.object(1, of: others)
            return 0
        }
        #expect(throws: LuaError.runtime(message: "bad argument #1 to 'wants_other' (other expected, got counter)",
                                         location: LuaLocation(chunk: "c.lua", line: 1), traceback: "")) {
            _ = try first.run("wants_other(new_counter())", chunkName: "c.lua")
        }
    }

    @Test func syntaxErrorsCarryLocationAndIncompleteInput() throws {
        let state = try LuaState()
        #expect(throws: LuaError.syntax(message: "unexpected symbol near '='", location: LuaLocation(chunk: "s.lua", line: 2),
                                        incompleteInput: false)) {
            try state.load(Array("local x = 1\nlocal y = = 2".utf8), chunkName: "s.lua")
        }
        do {
            try state.load(Array("for i = 1, 2 do".utf8), chunkName: "repl")
            Issue.record("no error")
        } catch let LuaError.syntax(_, location, incomplete) {
            #expect(incomplete)
            #expect(location?.line == 1)
        }
    }

    @Test func runtimeErrorsCarryFileLineAndTraceback() throws {
        let state = try LuaState()
        do {
            _ = try state.run("local function f()\n  error('boom')\nend\nf()", chunkName: "e.lua")
            Issue.record("no error")
        } catch let LuaError.runtime(message, location, traceback) {
            #expect(message == "boom")
            #expect(location == LuaLocation(chunk: "e.lua", line: 2))
            #expect(traceback.contains("e.lua:4"))
        }
        #expect(throws: LuaError.runtime(message: "error object is a table value", location: LuaLocation(chunk: "t.lua", line: 1),
                                         traceback: "")) {
            _ = try state.run("error(setmetatable({}, { __tostring = function() while true do end end }))", chunkName: "t.lua")
        }
    }
}
