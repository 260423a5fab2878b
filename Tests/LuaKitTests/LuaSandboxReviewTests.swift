import CLua
import Foundation
import Testing
@testable import LuaKit

/// The outside review's findings against LuaKit, each as a class of hostile scripts: every one
/// ends in a documented class, leaves the state usable, and keeps host memory within the cap.
@Suite struct LuaSandboxReviewTests {
    static let limits = LuaLimits(timeout: 0.3, memory: 16 << 20)
    /// What the host may hold beyond the cap (the allocator allows growth while Swift runs).
    static let hostAllowance = 4 << 20

    typealias Class = LuaSandboxTests.Class

    /// Runs `source` (with `extra` globals) and checks that the state still runs normal code and
    /// never held more than the cap plus the allowance.
    func outcome(of source: String, limits: LuaLimits = Self.limits, extra: (LuaState) -> [String: LuaValue] = { _ in [:] })
        throws -> (Class, LuaError?) {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        var result: (Class, LuaError?) = (.ok, nil)
        do {
            _ = try sandbox.run(source: source, chunkName: "hostile.lua", extra: extra(sandbox.state), limits: limits)
        } catch let error as LuaError {
            result = (LuaSandboxTests.errorClass(error), error)
        }
        #expect(sandbox.state.peakMemory <= (limits.memory ?? 0) + Self.hostAllowance,
                "peak \(sandbox.state.peakMemory) for: \(source)")
        sandbox.state.resetAfterKill()
        let after = try sandbox.run(source: "local co = coroutine.wrap(function() coroutine.yield(1) end) return co() + #('x'):rep(9)",
                                    chunkName: "normal.lua", limits: Self.limits)
        #expect(after == [.integer(10)], "host unusable after: \(source)")
        return result
    }

    // MARK: - 1. The running-thread list never keeps what the collector can free

    /// Each leaves coroutines in odd states (closing themselves, resuming themselves, dead by
    /// error, abandoned), lets the collector run, then spins until the deadline stops it: the stop
    /// walks the running list, which must hold only live, running threads.
    static let coroutineAbuse = [
        """
        local co
        co = coroutine.create(function() pcall(coroutine.close, co) coroutine.yield() end)
        coroutine.resume(co)
        co = nil
        for i = 1, 200000 do local s = ("%d"):format(i) .. "padding-to-refill-freed-memory" end
        while true do end
        """,
        """
        for i = 1, 2000 do
          local co
          co = coroutine.create(function() pcall(coroutine.close, co); pcall(coroutine.resume, co); error("x") end)
          coroutine.resume(co)
        end
        for i = 1, 100000 do local t = { i, tostring(i) } end
        while true do end
        """,
        """
        local w
        w = coroutine.wrap(function() for i = 1, 3 do pcall(w) coroutine.yield() end end)
        w() w()
        w = nil
        for i = 1, 100000 do local t = {} end
        coroutine.wrap(function() while true do end end)()
        """,
        """
        local function nest(d) if d == 0 then while true do end end
          local co = coroutine.create(nest) local ok, e = coroutine.resume(co, d - 1) error(e, 0) end
        nest(150)
        """,
        """
        local co = coroutine.create(function() local x <close> = setmetatable({}, { __close = function() while true do end end })
          coroutine.yield() end)
        coroutine.resume(co)
        local t0 = os.clock() while os.clock() - t0 < 1 do end
        coroutine.close(co)
        """,
        "pcall(coroutine.resume, coroutine.running()) pcall(coroutine.close, coroutine.running()) while true do end",
    ]

    @Test(arguments: coroutineAbuse)
    func coroutinesInAnyStateNeverLeaveADanglingRunningEntry(source: String) throws {
        let (errorClass, error) = try outcome(of: source)
        #expect(errorClass == .timeout, "\(source) -> \(String(describing: error))")
    }

    @Test func coroutineFunctionsBehaveAsStockLua() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
            local r = { coroutine.resume(co, 1) }
            local s = { coroutine.resume(co, 5) }
            local dead = { coroutine.resume(co) }
            local f; f = coroutine.wrap(function() f() end)
            local _, selfResume = pcall(f)
            local _, closeRunning = pcall(coroutine.close, coroutine.running())
            local wrapped = coroutine.wrap(function() error("boom") end)
            local _, fromWrap = pcall(wrapped)
            local c2 = coroutine.create(function() local x <close> = setmetatable({}, { __close = function() closed = true end }) coroutine.yield() end)
            coroutine.resume(c2)
            return r[2], s[2], dead[2], selfResume, closeRunning, fromWrap, coroutine.close(c2), closed, coroutine.status(c2)
            """, chunkName: "co.lua")
        #expect(results == [.integer(2), .integer(10), .text("cannot resume dead coroutine"),
                            .text("co.lua:5: cannot resume non-suspended coroutine"), .text("cannot close a running coroutine"),
                            .text("co.lua:8: boom"), .boolean(true), .boolean(true), .text("dead")])
    }

    // MARK: - 2. Read-only libraries never hand out their table

    static let libraries = ["string", "table", "math", "utf8", "coroutine", "os", "mod"]

    @Test(arguments: libraries)
    func nothingAScriptCallsReturnsALibrarysBackingTable(library: String) throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let extra: [String: LuaValue] = ["mod": .table([.text("f"): sandbox.state.functionValue(name: "f") { _ in 0 }])]
        let results = try sandbox.run(source: """
            local lib = \(library)
            local before = {}
            for k, v in pairs(lib) do before[k] = v end
            local got = { pairs(lib) }
            got[#got + 1] = next(lib)
            got[#got + 1] = getmetatable(lib)
            for _, v in ipairs(got) do
              if type(v) == "table" then
                for k in pairs(before) do pcall(rawset, v, k, "changed") pcall(function() v[k] = "changed" end) end
              end
            end
            local same = 0
            for k, v in pairs(lib) do if before[k] == v then same = same + 1 end end
            local count = 0 for _ in pairs(before) do count = count + 1 end
            return same == count, count > 0, ("x"):upper(), math.pi == 3.141592653589793
            """, chunkName: "raw.lua", extra: extra)
        #expect(results == [.boolean(true), .boolean(true), .text("X"), .boolean(true)])
    }

    // MARK: - 3. Addresses are opaque, stable per object

    @Test func tostringAndFormatPShowAStableNumberThatIsNotTheAddress() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let environment = try sandbox.newEnvironment()
        let results = try sandbox.run(source: """
            keep = {}
            local t = keep
            return tostring(t), string.format("%p", t), tostring(t) == tostring(t), tostring(t) ~= tostring({}),
                   string.format("%s|%-3p|%p|%5.1f|%%p", t, 1, "s", 1.5):match("^table: 0x%x+|%(null%)|0x%x+| +1.5|%%p$") ~= nil,
                   tostring(print):match("^function: 0x%x+$") ~= nil, tostring(coroutine.running()):match("^thread: 0x%x+$") ~= nil
            """, chunkName: "p.lua", environment: environment)
        let L = sandbox.state.L
        environment.push(onto: L)
        lua_getfield(L, -1, "keep")
        let real = String(UInt(bitPattern: lua_topointer(L, -1)), radix: 16)
        lua_settop(L, -3)
        guard case let .string(text) = results[0], case let .string(formatted) = results[1] else {
            Issue.record("unexpected \(results)")
            return
        }
        let shown = String(decoding: text, as: UTF8.self)
        #expect(shown.hasPrefix("table: 0x"))
        #expect(!shown.contains(real), "tostring shows the real address")
        #expect(String(decoding: formatted, as: UTF8.self) == String(shown.dropFirst("table: ".count)))
        #expect(Array(results.dropFirst(2)) == Array(repeating: .boolean(true), count: 5))
    }

    // MARK: - 5. Host memory counts against the cap

    static let hostMemoryBombs = [
        // a gsub result growing by large pieces, never at an exact 64 KiB multiple
        "local s = ('x'):rep(1 << 20) return s:gsub('x', ('y'):rep(17))",
        "local s = ('ab'):rep(1 << 19) local r = ('z'):rep(1000) return s:gsub('a', function() return r end)",
        // Swift objects Lua holds: each iterator and each function box counts
        "local s = ('x'):rep(1 << 10) local t = {} for i = 1, 1e7 do t[i] = s:gmatch('x') end",
        "local t = {} for i = 1, 1e7 do t[i] = hold() end",
    ]

    @Test(arguments: hostMemoryBombs)
    func memoryTheHostBuildsForAScriptStopsAtItsCap(source: String) throws {
        let (errorClass, error) = try outcome(of: source, limits: LuaLimits(timeout: 10, memory: 16 << 20), extra: Self.holdFunction)
        #expect(errorClass == .memory, "\(source) -> \(String(describing: error))")
    }

    /// A `gsub` result is charged before its buffer grows: a doubling made first and charged after
    /// held up to twice what the cap allows (a 24 MB cap let a 32 MB buffer be allocated). At any
    /// cap the run holds at most the cap and malloc's rounding of the last growth.
    @Test(arguments: [12, 16, 20, 24, 40])
    func aGsubResultNeverGrowsPastTheCap(megabytes: Int) throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let cap = megabytes << 20
        #expect {
            _ = try sandbox.run(source: "local s = ('x'):rep(1 << 20) return s:gsub('x', ('y'):rep(47))", chunkName: "bomb.lua",
                                limits: LuaLimits(timeout: 10, memory: cap))
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return LuaSandboxTests.errorClass(error) == .memory
        }
        #expect(sandbox.state.peakMemory <= cap + (64 << 10), "peak \(sandbox.state.peakMemory) over the cap \(cap)")
    }

    /// `hold()` returns a userdata whose Swift object declares 64 KiB.
    static func holdFunction(_ state: LuaState) -> [String: LuaValue] {
        let heavy = LuaClass<Heavy>(name: "heavy")
        state.register(heavy)
        return ["hold": state.functionValue(name: "hold") { call in call.push(Heavy(), as: heavy); return 1 }]
    }

    final class Heavy: LuaHostFootprint {
        var hostFootprint: Int { 64 << 10 }
    }

    @Test func sharedValuesConvertOnceAndIteratorsShareTheirSubject() throws {
        var taken: [LuaValue] = []
        let (errorClass, error) = try outcome(of: """
            local s = ('x'):rep(1 << 20)
            local wide = {} for i = 1, 400000 do wide[i] = s end
            take(wide)
            local graph = {} for i = 1, 40 do graph = { graph, graph } end
            take(graph)
            local big = ('y'):rep(4 << 20) local its = {} for i = 1, 60 do its[i] = big:gmatch('y') end
            for i = 1, 60 do assert(its[i]() == 'y') end
            """, limits: LuaLimits(timeout: 10, memory: 64 << 20)) { state in
            ["take": state.functionValue(name: "take") { call in taken.append(try call.value(1)); return 0 }]
        }
        #expect(errorClass == .ok, "\(String(describing: error))")
        if case let .table(wide) = taken.first { #expect(wide.sequence.count == 400_000) } else { Issue.record("no table") }
        // Printing a graph is cut, not expanded 2^40 times.
        let text = LuaPrinter(maximumLength: 10_000).render(taken.last ?? .nil)
        #expect(text.utf8.count < 20_000)
        #expect(text.hasSuffix("(output cut at 10000 characters)"))
    }

    @Test func sequenceOfAHugeUnorderedTableIsLinearAndRight() {
        var table = LuaTable()
        let count = 300_000
        for index in (1...count).reversed() { table.pairs.append((key: .integer(Int64(index)), value: .integer(Int64(index)))) }
        table.pairs.append((key: .text("x"), value: .boolean(true)))
        let sequence = table.sequence
        #expect(sequence.count == count)
        #expect(sequence.first == .integer(1) && sequence.last == .integer(Int64(count)))
    }

    // MARK: - 7. Work in C where no hook fires is budgeted

    @Test func sortingManyLongStringsStopsAtTheDeadline() throws {
        let (errorClass, error) = try outcome(of: """
            local s = ('x'):rep(8 << 20)
            local t = {} for i = 1, 20000 do t[i] = s end
            table.sort(t)
            """, limits: LuaLimits(timeout: 0.3, memory: 64 << 20))
        #expect(errorClass == .timeout, "\(String(describing: error))")
    }

    @Test func tableMoveChecksItsRangeAsStockLua() throws {
        let sandbox = try LuaSandbox(options: .init(output: { _ in }))
        let results = try sandbox.run(source: """
            local _, a = pcall(table.move, {}, -1, math.maxinteger, 2)
            local _, b = pcall(table.move, {}, 1, 3, math.maxinteger)
            return a, b, table.concat(table.move({ 1, 2, 3 }, 2, 3, 1), ",")
            """, chunkName: "move.lua", limits: Self.limits)
        // Raised by the function pcall called, so without a position, and named by its library
        // entry: exactly stock Lua 5.4.4's luaL_argerror.
        #expect(results == [.text("bad argument #3 to 'table.move' (too many elements to move)"),
                            .text("bad argument #4 to 'table.move' (destination wrap around)"), .text("2,3,3")])
    }

    // MARK: - require

    @Test func requireReadsOnlyRealFilesInsideItsFoldersAndReportsTheirSyntaxErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-require-\(UUID().uuidString)")
        let lib = folder.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "return 42".write(to: lib.appendingPathComponent("good.lua"), atomically: true, encoding: .utf8)
        try "local = 1".write(to: lib.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        try "secret = 'kept out'".write(to: folder.appendingPathComponent("outside.lua"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: lib.appendingPathComponent("passwd.lua").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: lib.appendingPathComponent("out.lua").path,
                                                   withDestinationPath: folder.appendingPathComponent("outside.lua").path)
        try FileManager.default.createDirectory(at: lib.appendingPathComponent("dir.lua"), withIntermediateDirectories: true)
        let sandbox = try LuaSandbox(options: .init(modulePaths: [lib], output: { _ in }))
        #expect(try sandbox.run(source: "return require('good')", chunkName: "r.lua") == [.integer(42)])
        for name in ["passwd", "out", "dir"] {
            #expect(throws: LuaError.self) { _ = try sandbox.run(source: "return require('\(name)')", chunkName: "r.lua") }
            do {
                _ = try sandbox.run(source: "return require('\(name)')", chunkName: "r.lua")
            } catch let error as LuaError {
                #expect(LuaSandboxTests.errorClass(error) == .forbidden, "\(name): \(error)")
                #expect(!error.message.contains("root:"), "the link's target was read")
            }
        }
        do {
            _ = try sandbox.run(source: "\nreturn require('broken')", chunkName: "r.lua")
            Issue.record("a broken module loaded")
        } catch let LuaError.syntax(_, location, _) {
            #expect(location?.chunk.hasSuffix("broken.lua") == true)
            #expect(location?.line == 1)
        }
        for name in ["\u{600}/etc/passwd", "a/b", "..x", "a..b", "é", "a.", "1a"] {
            do {
                _ = try sandbox.run(source: "return require(...)", chunkName: "r.lua", arguments: [.text(name)])
                Issue.record("\(name) was accepted")
            } catch let error as LuaError {
                #expect(error.message.contains("is not valid"), "\(name): \(error)")
            }
        }
    }

    // MARK: - 12. Text a script controls reaches a terminal escaped

    @Test func controlCharactersAreEscapedForTerminals() {
        let hostile = "ok\u{1B}[2K\rerror[timeout]: fake\nerror[forbidden]: x\u{9B}\u{202E}\t!"
        let line = TerminalText.line(hostile)
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(line == "ok\\27[2K\\rerror[timeout]: fake\\nerror[forbidden]: x\\155\\u{202e}\\t!")
        #expect(TerminalText.lines("a\nb\tc\u{1B}") == "a\nb\tc\\27")
        #expect(TerminalText.line("plain Probolinggo — é") == "plain Probolinggo — é")
    }
}
